/** Engine values in the shapes Prisma's column types accept. */

/** A Bytes column wants a Uint8Array over a plain ArrayBuffer: copy (checkpoints are a few MB at most). */
export function bytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data);
}

/** The loss curve as plain JSON objects. */
export function curveJson(curve: readonly { step: number; loss: number }[]): { step: number; loss: number }[] {
  return curve.map(({ step, loss }) => ({ step, loss }));
}
