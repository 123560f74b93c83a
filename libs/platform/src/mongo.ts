// The platform's MongoDB pieces, for the modules' mongo/ adapters (`@chat/platform/mongo`). They stay out of the
// index so that a process on SQLite, which never requires those adapters, never loads Mongoose or the driver.
export * from './outbox/mongo-outbox';
export * from './persistence/mongo-transaction';
