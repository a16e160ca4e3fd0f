// An open incident's notes, oldest first, each with its time and operator,
// and the field to add one: N puts the focus there, Enter adds the note
// (Shift+Enter is a new line), and the focus stays for the next one.
import { useEffect, useRef, useState } from 'react';
import type { IncidentNote } from '../../shared/contract';
import { addNote } from '../dispatch/actions';
import { useT } from '../i18n/useT';
import { registerFocusRegion } from '../keyboard/focusRegions';

export function IncidentNotes({ notes }: { notes: IncidentNote[] }) {
  const t = useT();
  const [text, setText] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    registerFocusRegion('note', () => field.current);
    return () => registerFocusRegion('note', null);
  }, []);

  const submit = async () => {
    if (await addNote(text)) setText('');
  };
  return (
    <section aria-label={t('incident.notes')}>
      <h3>{t('incident.notes')}</h3>
      {notes.length === 0 ? <p className="muted">{t('incident.noNotes')}</p> : null}
      <ol className="incident-notes" data-testid="incident-notes">
        {notes.map((note, index) => (
          <li key={index}>
            <span className="muted">
              {t.time(note.time)}
              {note.operator ? ` · ${note.operator}` : ''}
            </span>{' '}
            <span className="note-text">{note.text}</span>
          </li>
        ))}
      </ol>
      <form
        className="note-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          <span className="visually-hidden">{t('incident.noteField')}</span>
          <textarea
            ref={field}
            value={text}
            rows={2}
            maxLength={2000}
            placeholder={t('incident.noteField')}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey) {
                event.preventDefault();
                void submit();
              }
            }}
            data-testid="note-field"
          />
        </label>
        <button type="submit" disabled={text.trim() === ''}>
          {t('incident.addNote')}
        </button>
      </form>
    </section>
  );
}
