/*
 * The benchmark workloads of `npm run bench`, written for ns-3 (3.37, Debian's libns3-dev), so that the
 * bench can time the same simulated work in a C++ packet simulator beside anycast-lab, on the same
 * machine, in the same run. scripts/bench/workload.js is the anycast-lab side of every workload here;
 * both take the same arguments and print one JSON line of the same shape.
 *
 *   anycast-bench anycast [--seconds S] [--halt-at T|none] [--seed N]
 *     The write-up's anycast lab (data/labs/anycast, do_anycast):
 *
 *       xenial3 ─10.128.7/24─ r3 ─10.128.3/24─ r1 ─10.128.1/24─ r2 ─10.128.4/24─ r4 ─10.128.8/24─ xenial4
 *       xenial1 ─10.128.5/24─┘                                                  └─10.128.6/24─ xenial2
 *
 *     r1..r4 run RIP v2 with Cisco IOS timers; xenial1 and xenial2 run RIP (Quagga) on eth1 and carry
 *     the anycast address 10.128.224.2/32 on a second interface (the write-up's lo:0), so both announce
 *     it; xenial3 sends a DNS query (A r1.home, 25 bytes) to 10.128.224.2:53 every second from 60 s to
 *     the end, and a server answers each with a 41-byte response (the query plus one A record): the
 *     client counts the answers. xenial1 halts at T (default 300 s): it stops sending and receiving on
 *     every interface, as a powered-off VM does, so r3 keeps its route until RIP times it out and the
 *     queries then cross r3, r1, r2 and r4 to xenial2. Default 86400 s (24 h).
 *
 *   anycast-bench chain [--routers N] [--seconds S] [--seed N]
 *     N routers r1..rN in a row, link k (rk–rk+1) 10.(k>>8).(k&255).0/24, .1 on rk, .2 on rk+1,
 *     point-to-point, 1 ms; RIP v2 with FRR timers. Defaults 1000 routers, 3600 s.
 *
 *   anycast-bench grid [--rows R] [--cols C] [--seconds S] [--seed N]
 *     An R×C grid, each router linked to its right and lower neighbour, links numbered row by row as
 *     lib/config/generators.ts gridLab numbers them; FRR timers. Defaults 32×32, 3600 s.
 *
 * Timers. ns-3's Rip schedules every unsolicited update U + uniform(0, U/2) after the last one
 * (src/internet/model/rip.cc, Rip::SendUnsolicitedRouteUpdate), where IOS sends every 30 s less up to
 * 15 % and FRR every 30 s ± 7 s (the simulator's lib/proto/rip profiles): U is chosen so that the mean
 * interval is the same, 27.75 s (U = 22.2 s) for IOS and 30 s (U = 24 s) for FRR. Timeout 180 s for
 * both (RFC 2453 §3.8); garbage collection 120 s for FRR (RFC 2453 §3.8) and 60 s for IOS, whose
 * flush timer removes a route 240 s after its last update (Cisco "timers basic" defaults 30/180/180/240).
 * ns-3 has no hold-down: after r3's route to xenial1 times out it takes the next announcement through
 * r1 at once, where IOS waits out its 180 s hold-down. Split horizon without poisoned reverse, the
 * default of both IOS and FRR. Triggered updates 1–5 s apart (RFC 2453 §3.10.1), ns-3's default.
 *
 * Links: the lab's router-to-router links 0.1 ms, its host-only networks 1.5 ms (topology.clab.yml),
 * Ethernet (CSMA, with ARP) at 100 Mbit/s; the chain and grid point-to-point at 1 Gbit/s. ns-3 models
 * no per-packet processing time in routers; anycast-lab does (2–6 ms IOS, 0.2–0.6 ms Linux).
 *
 * Self-check: the run fails (ok: false) unless the answered count is in the range the timers allow
 * and every router has the routes RIP must have given it at the end (see checkAnycast, checkMesh).
 */

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <sys/resource.h>

#ifndef NS3_VERSION
#define NS3_VERSION "unknown" // build.sh passes pkg-config's version
#endif

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

struct Options
{
    std::string workload;
    double seconds = -1;
    double haltAt = 300;
    bool halt = true;
    uint32_t routers = 1000;
    uint32_t rows = 32;
    uint32_t cols = 32;
    uint32_t seed = 1;
};

[[noreturn]] void
usage(const std::string& error)
{
    std::cerr << "anycast-bench: " << error << "\n"
              << "usage: anycast-bench anycast [--seconds S] [--halt-at T|none] [--seed N]\n"
              << "       anycast-bench chain [--routers N] [--seconds S] [--seed N]\n"
              << "       anycast-bench grid [--rows R] [--cols C] [--seconds S] [--seed N]\n";
    std::exit(2);
}

double
number(const std::string& flag, const std::string& text, double min)
{
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(v >= min))
    {
        usage(flag + " expects a number ≥ " + std::to_string(min) + ", got \"" + text + "\"");
    }
    return v;
}

Options
parse(int argc, char** argv)
{
    if (argc < 2)
    {
        usage("no workload given");
    }
    Options o;
    o.workload = argv[1];
    if (o.workload != "anycast" && o.workload != "chain" && o.workload != "grid")
    {
        usage("unknown workload \"" + o.workload + "\" (anycast, chain or grid)");
    }
    for (int i = 2; i < argc; i++)
    {
        std::string flag = argv[i];
        if (i + 1 >= argc)
        {
            usage(flag + " needs a value");
        }
        std::string value = argv[++i];
        if (flag == "--seconds")
        {
            o.seconds = number(flag, value, 1);
        }
        else if (flag == "--halt-at" && value == "none")
        {
            o.halt = false;
        }
        else if (flag == "--halt-at")
        {
            o.haltAt = number(flag, value, 0);
        }
        else if (flag == "--routers")
        {
            o.routers = number(flag, value, 2);
        }
        else if (flag == "--rows")
        {
            o.rows = number(flag, value, 1);
        }
        else if (flag == "--cols")
        {
            o.cols = number(flag, value, 1);
        }
        else if (flag == "--seed")
        {
            o.seed = number(flag, value, 1);
        }
        else
        {
            usage("unknown option " + flag);
        }
    }
    if (o.seconds < 0)
    {
        o.seconds = o.workload == "anycast" ? 86400 : 3600;
    }
    if (o.workload == "grid" && o.rows * o.cols < 2)
    {
        usage("a grid needs at least two routers");
    }
    return o;
}

/** RIP with the IOS or FRR timers (see the top of this file for where each value comes from). */
RipHelper
ripWith(bool ios)
{
    RipHelper rip;
    rip.Set("UnsolicitedRoutingUpdate", TimeValue(Seconds(ios ? 22.2 : 24)));
    rip.Set("TimeoutDelay", TimeValue(Seconds(180)));
    rip.Set("GarbageCollectionDelay", TimeValue(Seconds(ios ? 60 : 120)));
    rip.Set("SplitHorizon", EnumValue(Rip::SPLIT_HORIZON));
    return rip;
}

uint32_t
addInterface(Ptr<Node> node, Ptr<NetDevice> device, const std::string& address, const std::string& mask)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    uint32_t i = ipv4->AddInterface(device);
    ipv4->AddAddress(i, Ipv4InterfaceAddress(Ipv4Address(address.c_str()), Ipv4Mask(mask.c_str())));
    ipv4->SetUp(i);
    return i;
}

/** The route `node` would use to `dst` now, or null. */
Ptr<Ipv4Route>
routeTo(Ptr<Node> node, Ipv4Address dst)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4Header header;
    header.SetDestination(dst);
    Socket::SocketErrno err;
    return ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), header, nullptr, err);
}

std::string
linkNetwork(uint32_t k, uint32_t end)
{
    std::ostringstream s;
    s << "10." << (k >> 8) << "." << (k & 255) << "." << end;
    return s.str();
}

struct Result
{
    std::vector<std::string> failures;
    std::string detail;
};

// ---- (a) the write-up's anycast lab ----------------------------------------------------------------

struct DnsCounters
{
    uint64_t queries = 0;
    uint64_t answered = 0;
    uint64_t servedByXenial1 = 0;
    uint64_t servedByXenial2 = 0;
};

DnsCounters dns;

/** A query's size: 12-byte header, QNAME r1.home (9 bytes), QTYPE and QCLASS. */
const uint32_t QUERY_BYTES = 25;
/** The answer: the query plus one A record with a compressed name (2 + 10 + 4 bytes). */
const uint32_t ANSWER_BYTES = QUERY_BYTES + 16;

void
serve(uint64_t* served, Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> query = socket->RecvFrom(from))
    {
        if (query->GetSize() == QUERY_BYTES)
        {
            (*served)++;
            socket->SendTo(Create<Packet>(ANSWER_BYTES), 0, from);
        }
    }
}

void
receiveAnswer(Ptr<Socket> socket)
{
    while (Ptr<Packet> answer = socket->Recv())
    {
        if (answer->GetSize() == ANSWER_BYTES)
        {
            dns.answered++;
        }
    }
}

void
sendQuery(Ptr<Socket> socket, Time end)
{
    socket->SendTo(Create<Packet>(QUERY_BYTES), 0, InetSocketAddress(Ipv4Address("10.128.224.2"), 53));
    dns.queries++;
    if (Simulator::Now() + Seconds(1) <= end)
    {
        Simulator::Schedule(Seconds(1), &sendQuery, socket, end);
    }
}

void
halt(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); i++)
    {
        ipv4->SetDown(i);
    }
}

Result
runAnycast(const Options& o)
{
    NodeContainer routers;
    routers.Create(4);
    NodeContainer vms;
    vms.Create(4);
    Ptr<Node> r1 = routers.Get(0), r2 = routers.Get(1), r3 = routers.Get(2), r4 = routers.Get(3);
    Ptr<Node> x1 = vms.Get(0), x2 = vms.Get(1), x3 = vms.Get(2), x4 = vms.Get(3);

    InternetStackHelper ios;
    ios.SetIpv6StackInstall(false);
    RipHelper iosRip = ripWith(true);
    ios.SetRoutingHelper(iosRip);
    ios.Install(routers);

    // The servers' anycast interface is interface 2 (after loopback 0 and eth1 1): RIP announces its
    // /32 but sends nothing on it, as there is no neighbour behind lo:0.
    RipHelper quaggaRip = ripWith(false);
    quaggaRip.ExcludeInterface(x1, 2);
    quaggaRip.ExcludeInterface(x2, 2);
    InternetStackHelper quagga;
    quagga.SetIpv6StackInstall(false);
    quagga.SetRoutingHelper(quaggaRip);
    quagga.Install(NodeContainer(x1, x2));

    InternetStackHelper clients;
    clients.SetIpv6StackInstall(false);
    clients.Install(NodeContainer(x3, x4));

    auto lan = [](Ptr<Node> a, Ptr<Node> b, double delayMs, const std::string& net) {
        CsmaHelper csma;
        csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
        csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(delayMs * 1000)));
        NetDeviceContainer d = csma.Install(NodeContainer(a, b));
        addInterface(a, d.Get(0), net + ".1", "255.255.255.0");
        addInterface(b, d.Get(1), net + ".2", "255.255.255.0");
    };
    lan(r1, r2, 0.1, "10.128.1");
    lan(r1, r3, 0.1, "10.128.3");
    lan(r2, r4, 0.1, "10.128.4");
    lan(r3, x1, 1.5, "10.128.5");
    lan(r4, x2, 1.5, "10.128.6");
    lan(r3, x3, 1.5, "10.128.7");
    lan(r4, x4, 1.5, "10.128.8");
    for (Ptr<Node> server : {x1, x2})
    {
        Ptr<SimpleNetDevice> lo0 = CreateObject<SimpleNetDevice>();
        lo0->SetChannel(CreateObject<SimpleChannel>());
        server->AddDevice(lo0);
        uint32_t i = addInterface(server, lo0, "10.128.224.2", "255.255.255.255");
        NS_ABORT_MSG_UNLESS(i == 2, "the anycast interface must be interface 2");
    }
    Ipv4StaticRoutingHelper staticRouting;
    staticRouting.GetStaticRouting(x3->GetObject<Ipv4>())->SetDefaultRoute("10.128.7.1", 1);
    staticRouting.GetStaticRouting(x4->GetObject<Ipv4>())->SetDefaultRoute("10.128.8.1", 1);

    Time end = Seconds(o.seconds);
    TypeId udp = UdpSocketFactory::GetTypeId();
    std::vector<std::pair<Ptr<Node>, uint64_t*>> servers = {{x1, &dns.servedByXenial1}, {x2, &dns.servedByXenial2}};
    for (auto& [server, served] : servers)
    {
        Ptr<Socket> named = Socket::CreateSocket(server, udp);
        named->Bind(InetSocketAddress(Ipv4Address("10.128.224.2"), 53));
        named->SetRecvCallback(MakeBoundCallback(&serve, served));
    }
    Ptr<Socket> client = Socket::CreateSocket(x3, udp);
    client->Bind();
    client->SetRecvCallback(MakeCallback(&receiveAnswer));
    if (o.seconds >= 60)
    {
        Simulator::Schedule(Seconds(60), &sendQuery, client, end);
    }
    bool halted = o.halt && o.haltAt < o.seconds;
    if (halted)
    {
        Simulator::Schedule(Seconds(o.haltAt), &halt, x1);
    }

    Simulator::Stop(end);
    Simulator::Run();

    Result r;
    // Before the halt every query is answered by xenial1 (one router away); after it, none is until
    // r3's route times out, 180 s after xenial1's last update (which came ≤ 36 s before the halt: FRR
    // timers, U = 24 s), and r3's triggered update (≤ 5 s) poisons r1's route, which went through r3;
    // r1 takes r2's route (through r4 to xenial2) at r2's next update (IOS, ≤ 33.3 s) and passes it
    // to r3 in a triggered update (≤ 5 s). So a halt loses between 180 − 36 and 180 + 5 + 33.3 + 5
    // queries (one more either way for the query in flight); no halt loses none (one for margin).
    uint64_t lost = dns.queries - dns.answered;
    uint64_t minLost = 0, maxLost = 1;
    if (halted)
    {
        double queryable = o.seconds - std::max(60.0, o.haltAt);
        minLost = std::min<double>(queryable, 180 - 36) - 1;
        maxLost = 180 + 5 + 33.3 + 5 + 1;
    }
    if (lost < minLost || lost > maxLost)
    {
        r.failures.push_back(std::to_string(dns.answered) + " of " + std::to_string(dns.queries) + " queries answered: expected " +
                             std::to_string(minLost) + "–" + std::to_string(maxLost) + " lost");
    }
    // Every router has a route to every network of the lab and to the anycast address; r3's goes to
    // xenial1 while it runs and through r1 once it halted.
    const char* networks[] = {"10.128.1.9", "10.128.3.9", "10.128.4.9", "10.128.5.9", "10.128.6.9", "10.128.7.9", "10.128.8.9", "10.128.224.2"};
    int checked = 0;
    for (uint32_t i = 0; i < routers.GetN(); i++)
    {
        for (const char* n : networks)
        {
            checked++;
            if (!routeTo(routers.Get(i), Ipv4Address(n)))
            {
                r.failures.push_back("r" + std::to_string(i + 1) + " has no route to " + n);
            }
        }
    }
    Ptr<Ipv4Route> anycast = routeTo(r3, Ipv4Address("10.128.224.2"));
    Ipv4Address expected(halted ? "10.128.3.1" : "10.128.5.2");
    if (anycast && anycast->GetGateway() != expected)
    {
        std::ostringstream s;
        s << "r3 routes 10.128.224.2 via " << anycast->GetGateway() << ", expected " << expected;
        r.failures.push_back(s.str());
    }
    std::ostringstream d;
    d << "\"queries\":" << dns.queries << ",\"answered\":" << dns.answered << ",\"byXenial1\":" << dns.servedByXenial1
      << ",\"byXenial2\":" << dns.servedByXenial2 << ",\"routesChecked\":" << checked;
    r.detail = d.str();
    return r;
}

// ---- (b), (c) the chain and the grid ----------------------------------------------------------------

struct Mesh
{
    NodeContainer nodes;
    /** Link k (from 1) joins routers ends[k].first and .second (indices into nodes). */
    std::vector<std::pair<uint32_t, uint32_t>> ends{{0, 0}};
};

void
link(Mesh& m, uint32_t a, uint32_t z)
{
    uint32_t k = m.ends.size();
    NS_ABORT_MSG_IF(k > 0xffff, "link number " << k << " does not fit 10.x.y.0/24 addressing");
    m.ends.emplace_back(a, z);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", TimeValue(MilliSeconds(1)));
    NetDeviceContainer d = p2p.Install(m.nodes.Get(a), m.nodes.Get(z));
    addInterface(m.nodes.Get(a), d.Get(0), linkNetwork(k, 1), "255.255.255.0");
    addInterface(m.nodes.Get(z), d.Get(1), linkNetwork(k, 2), "255.255.255.0");
}

/**
 * Routers a RIP route reaches: a link's network is connected (metric 1) at its ends and one more per
 * hop, so a router has a route to it iff its nearest end is at most 14 hops away (metric ≤ 15, RFC
 * 2453 §3.6 infinity 16). `hops(router, end)` is the hop distance in the topology.
 */
template <typename Hops>
void
checkMesh(const Mesh& m, const std::vector<uint32_t>& sample, Hops hops, Result& r, uint64_t& checked)
{
    for (uint32_t router : sample)
    {
        for (uint32_t k = 1; k < m.ends.size(); k++)
        {
            uint32_t distance = std::min(hops(router, m.ends[k].first), hops(router, m.ends[k].second));
            bool expected = distance <= 14;
            bool has = static_cast<bool>(routeTo(m.nodes.Get(router), Ipv4Address(linkNetwork(k, 9).c_str())));
            checked++;
            if (has != expected && r.failures.size() < 10)
            {
                r.failures.push_back("router " + std::to_string(router + 1) + (has ? " has a route to " : " has no route to ") + linkNetwork(k, 0) +
                                     "/24, " + std::to_string(distance) + " hops away");
            }
        }
    }
}

Result
runMesh(const Options& o)
{
    bool chain = o.workload == "chain";
    uint32_t n = chain ? o.routers : o.rows * o.cols;
    Mesh m;
    m.nodes.Create(n);
    InternetStackHelper frr;
    frr.SetIpv6StackInstall(false);
    RipHelper rip = ripWith(false);
    frr.SetRoutingHelper(rip);
    frr.Install(m.nodes);
    if (chain)
    {
        for (uint32_t i = 0; i + 1 < n; i++)
        {
            link(m, i, i + 1);
        }
    }
    else
    {
        for (uint32_t row = 0; row < o.rows; row++)
        {
            for (uint32_t col = 0; col < o.cols; col++)
            {
                uint32_t at = row * o.cols + col;
                if (col + 1 < o.cols)
                {
                    link(m, at, at + 1);
                }
                if (row + 1 < o.rows)
                {
                    link(m, at, at + o.cols);
                }
            }
        }
    }
    Simulator::Stop(Seconds(o.seconds));
    Simulator::Run();

    // A sample of routers, each against every link: the ends, the middle, and every 37th router
    // (a full check of a 32×32 grid would cost as much as the run, ns-3's route lookup being a list walk).
    std::vector<uint32_t> sample = {0, n - 1, n / 2};
    for (uint32_t i = 37; i < n; i += 37)
    {
        sample.push_back(i);
    }
    Result r;
    uint64_t checked = 0;
    uint32_t cols = o.cols;
    if (chain)
    {
        checkMesh(m, sample, [](uint32_t a, uint32_t b) { return a > b ? a - b : b - a; }, r, checked);
    }
    else
    {
        checkMesh(
            m, sample,
            [cols](uint32_t a, uint32_t b) {
                uint32_t dr = a / cols > b / cols ? a / cols - b / cols : b / cols - a / cols;
                uint32_t dc = a % cols > b % cols ? a % cols - b % cols : b % cols - a % cols;
                return dr + dc;
            },
            r, checked);
    }
    std::ostringstream d;
    d << "\"routers\":" << n << ",\"links\":" << m.ends.size() - 1 << ",\"routesChecked\":" << checked;
    r.detail = d.str();
    return r;
}

std::string
quoted(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

} // namespace

int
main(int argc, char** argv)
{
    Options o = parse(argc, argv);
    RngSeedManager::SetSeed(o.seed);
    Result r = o.workload == "anycast" ? runAnycast(o) : runMesh(o);
    uint64_t events = Simulator::GetEventCount();
    Simulator::Destroy();

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    std::ostringstream failures;
    for (size_t i = 0; i < r.failures.size(); i++)
    {
        failures << (i ? "," : "") << quoted(r.failures[i]);
    }
    // ru_maxrss is in kilobytes on Linux.
    std::cout << "{\"side\":\"ns-3\",\"version\":\"" << NS3_VERSION << "\",\"workload\":" << quoted(o.workload) << ",\"simSeconds\":" << o.seconds
              << ",\"events\":" << events << ",\"maxRssMiB\":" << usage.ru_maxrss / 1024.0 << "," << r.detail
              << ",\"ok\":" << (r.failures.empty() ? "true" : "false") << ",\"failures\":[" << failures.str() << "]}" << std::endl;
    return 0;
}
