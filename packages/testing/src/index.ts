export * from './stub';
