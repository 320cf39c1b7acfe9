/** The pure domain rules: money, dates, pro-rata, eligibility, personal data. No I/O. */
export * from './result';
export * from './money';
export * from './dates';
export * from './prorata';
export * from './eligibility';
export * from './mykad';
export * from './phone';
export * from './email';
export * from './pii';
export * from './text';
export * from './slots';
