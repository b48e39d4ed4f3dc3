import type { PrismaClient } from '@guidance-lab/db';
import type { WorkerUtils } from 'graphile-worker';
import type { Limits } from './limits';

/** What every resolver gets. */
export interface ApiContext {
  prisma: PrismaClient;
  /** graphile-worker utilities: addJob for scheduling. */
  jobs: WorkerUtils;
  limits: Limits;
  /** Absolute origin of this API as the client reached it, for grid and export URLs. */
  baseUrl: string;
  /** False when GUIDANCE_API_TOKEN is set and the request did not present it. */
  mayMutate: boolean;
  /** False when GUIDANCE_TOKEN_READS=1 and the request did not present the token. */
  mayRead: boolean;
}
