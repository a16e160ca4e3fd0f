// Evidence files (docs/evidence.md): one incident or one shift, checked
// anywhere by `vigie verify FILE`.
import { z } from 'zod';

export const evidenceRequests = {
  /** One incident or one shift as an evidence file (JSON text; `vigie verify FILE` checks it anywhere). */
  'evidence.export': {
    params: z.union([z.object({ incident: z.string().min(1).max(64) }).strict(), z.object({ shift: z.number().int().positive() }).strict()]),
    result: z.object({ fileName: z.string(), content: z.string() }),
  },
} as const;
