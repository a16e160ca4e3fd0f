// Evidence exports: one incident or one shift as a self-contained file
// (docs/evidence.md). What cannot be exported is an EvidenceError, sent as a
// refusal.
import type { Db } from '../../db/database';
import { buildSignedEvidence } from '../../evidence/signedEvidence';
import type { PostKey } from '../../keys/postKey';
import type { HandlersOf } from './common';

export function createEvidenceHandlers({ db, postKey }: { db: Db; postKey: PostKey }): HandlersOf<'evidence.'> {
  return {
    'evidence.export': (scope) => {
      // Carried on to the post's signed head (docs/evidence.md#signed-heads).
      const evidence = buildSignedEvidence(db, 'incident' in scope ? { kind: 'incident', id: scope.incident } : { kind: 'shift', id: scope.shift }, {
        key: postKey,
      });
      const name = 'incident' in scope ? `incident-${scope.incident}` : `shift-${scope.shift}`;
      return { fileName: `vigie-evidence-${name}.json`, content: JSON.stringify(evidence) };
    },
  };
}
