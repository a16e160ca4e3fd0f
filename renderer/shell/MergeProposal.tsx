// The question asked before an alert joins an incident: the core proposes
// open incidents near in space and time seen by another sensor; the operator
// confirms (G) or opens a new incident (Enter). Asked inline, not in a modal,
// so the queue keeps the focus and its keys.
import type { DispatchSlice } from '../state/store';
import { acknowledge, confirmMerge } from '../dispatch/actions';
import { useT } from '../i18n/useT';
import { formatAge, formatDistance } from './alertFormat';

export function MergeProposal({ proposal }: { proposal: NonNullable<DispatchSlice['mergeProposal']> }) {
  const t = useT();
  const [first, ...others] = proposal.candidates;
  if (!first) return null;
  // `seconds` is the gap between the alert and the incident, not an age; shown as one.
  const question = t('alerts.mergeQuestion', { incident: first.incident, distance: formatDistance(t, first.meters), age: formatAge(t, first.seconds * 1000) });
  return (
    <div className="merge-proposal" role="alert" data-testid="merge-proposal" data-incident={first.incident}>
      <p className="merge-question">{question}</p>
      {others.length > 0 ? <p className="muted merge-others">{others.map((candidate) => candidate.incident).join(', ')}</p> : null}
      <p className="merge-keys muted">{t('alerts.mergeKeys')}</p>
      <div className="merge-buttons">
        <button type="button" onClick={confirmMerge}>
          {t('alerts.merge')}
        </button>
        <button type="button" onClick={() => void acknowledge(proposal.alert)}>
          {t('alerts.newIncident')}
        </button>
      </div>
    </div>
  );
}
