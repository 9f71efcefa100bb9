// The cloudflare entry, for the unit tests, plus the validation error it throws (a core class).
export * from '../src/cloudflare/index.ts';
export { PushValidationError } from '../src/errors/push-validation-error.ts';
