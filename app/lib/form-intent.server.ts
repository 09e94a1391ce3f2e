// On a page with several forms, every answer says which form it belongs to
// (values.intent), errors included, so each form shows only its own.
import { AppError, isAppError } from "./app-error.ts";

export async function forForm<T>(intent: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(error.code, error.message, { cause: error, hint: error.hint, values: { ...error.values, intent } });
  }
}
