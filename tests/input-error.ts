/** The InputError a promise rejects with, or a function throws; the test fails when it is anything else. */
import { InputError } from '../shared/errors';

export async function inputError(attempt: Promise<unknown>): Promise<InputError> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

export function thrownInputError(attempt: () => unknown): InputError {
  let error: unknown = null;
  try {
    attempt();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}
