// Evidence exports: one incident or one shift as a self-contained file
// (docs/evidence.md). What cannot be exported is an EvidenceError, sent as a
// refusal.
import type { Db } from '../../db/database';
import { buildEvidence } from '../../evidence/evidence';
import type { HandlersOf } from './common';

export function createEvidenceHandlers({ db }: { db: Db }): HandlersOf<'evidence.'> {
  return {
    'evidence.export': (scope) => {
      const evidence = buildEvidence(db, 'incident' in scope ? { kind: 'incident', id: scope.incident } : { kind: 'shift', id: scope.shift });
      const name = 'incident' in scope ? `incident-${scope.incident}` : `shift-${scope.shift}`;
      return { fileName: `vigie-evidence-${name}.json`, content: JSON.stringify(evidence) };
    },
  };
}
