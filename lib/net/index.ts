export * from './interface';
export * from './segment';
export * from './node';
export * from './network';
export * from './capture';
export * from './service';
