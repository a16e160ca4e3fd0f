// The desktop shell's dialogs and menus speak English or French, as the
// system prefers (electron/main/shellText.ts; the compiler checks that French
// has every entry). These check the choice and that nothing is left in English.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shellTextFor } from '../../electron/main/shellText';

describe("the shell's words", () => {
  test('French when the system prefers it, English otherwise', () => {
    assert.equal(shellTextFor(['fr-FR', 'en-GB']).quit, 'Quitter');
    assert.equal(shellTextFor(['fr']).menuFile, 'Fichier');
    assert.equal(shellTextFor(['en-GB', 'fr-FR']).quit, 'Quit');
    assert.equal(shellTextFor(['de-DE', 'fr-BE']).quit, 'Quitter');
    assert.equal(shellTextFor(['de-DE']).quit, 'Quit');
    assert.equal(shellTextFor([]).quit, 'Quit');
  });

  test('every French entry differs from the English one, parameters included', () => {
    const en = shellTextFor(['en']);
    const fr = shellTextFor(['fr']);
    assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const [english, french] = [en[key], fr[key]];
      const say = (text: unknown) => (typeof text === 'function' ? (text as (...args: unknown[]) => string)(137, '39.2.0', '22.20.0') : text);
      assert.notEqual(say(french), say(english), key);
    }
    assert.match(fr.coreStoppedDetail(137), /Code de sortie 137\./);
  });
});
