// The console words the core's refusals in its own language, from the reason
// code and params (renderer/i18n/refusals.ts); what it cannot word (a reason
// from a newer core, params that do not fit) falls back to the core's English.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CoreError } from '../../renderer/core/coreClient';
import type * as Refusals from '../../renderer/i18n/refusals';
import { translatorFor } from '../../renderer/i18n/translate';

let describeFailure: typeof Refusals.describeFailure;
before(async () => {
  // The console's store (imported by refusals.ts) starts from the browser's language, absent from Node 20.
  if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { language: 'en' }, configurable: true });
  ({ describeFailure } = await import('../../renderer/i18n/refusals'));
});

const committed = () =>
  new CoreError('refused', 'OPALE 01 is committed to I00002; assign with override', 'unit-committed', { unit: 'OPALE 01', incident: 'I00002' });

describe('refusals worded by the console', () => {
  test('in English and in French, from the reason and its params', () => {
    assert.equal(describeFailure(translatorFor('en'), committed()), 'OPALE 01 is committed to I00002; send it with an override to take it off.');
    assert.equal(describeFailure(translatorFor('fr'), committed()), 'OPALE 01 est engagée sur I00002\u00a0; envoyez-la en forçant pour l’en retirer.');
  });

  test('codes among the params are worded too', () => {
    const pack = new CoreError('refused', 'not a PMTiles file', 'map-pack-problem', { problem: 'pmtiles-header', file: 'x.pmtiles' });
    assert.equal(describeFailure(translatorFor('fr'), pack), 'x.pmtiles\u00a0: Pas un fichier PMTiles (en-tête invalide).');
    const role = new CoreError('forbidden', 'alert.acknowledge is not allowed for the auditor role', 'forbidden-for-role', {
      role: 'auditor',
      method: 'alert.acknowledge',
    });
    assert.match(describeFailure(translatorFor('fr'), role), /auditeur/);
  });

  test('what it cannot word comes as the core said it', () => {
    assert.equal(describeFailure(translatorFor('fr'), new CoreError('refused', 'a newer rule', 'added-later', {})), 'a newer rule');
    assert.equal(describeFailure(translatorFor('fr'), new CoreError('refused', 'odd params', 'unit-committed', { unit: 3 })), 'odd params');
    assert.equal(
      describeFailure(translatorFor('fr'), new CoreError('disconnected', 'x')),
      'Pas de connexion au serveur\u00a0; réessayez quand il sera revenu.',
    );
    assert.equal(describeFailure(translatorFor('en'), new Error('plain')), 'plain');
  });
});
