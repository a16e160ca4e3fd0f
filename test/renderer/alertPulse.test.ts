// Which waiting alerts pulse on the map: the top of the queue only, so a
// night of unattended alerts does not animate hundreds of markers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertView } from '../../shared/contract';
import { MAX_PULSING, pulsingAlerts } from '../../renderer/shell/alertFormat';

function alert(id: string, severity: AlertView['severity'], time: number, status: AlertView['status'] = 'new', lat: number | null = 50.9): AlertView {
  return {
    id,
    kind: 'boat-launch',
    severity,
    sensor: 'CAM-1',
    subject: null,
    lat,
    lon: lat === null ? null : 1.7,
    sector: null,
    confidence: null,
    count: null,
    time,
    status,
    escalated: false,
    incident: null,
  };
}

test('the most severe, then newest, waiting alerts pulse; acknowledged, closed and unplaced ones never do', () => {
  const alerts = [
    alert('A1', 'low', 1),
    alert('A2', 'high', 2),
    alert('A3', 'low', 3),
    alert('A4', 'critical', 4, 'acknowledged'),
    alert('A5', 'medium', 5),
    alert('A6', 'high', 6, 'closed'),
    alert('A7', 'critical', 7, 'new', null),
  ];
  assert.deepEqual([...pulsingAlerts(alerts, 3)], ['A2', 'A5', 'A3']);
  assert.deepEqual([...pulsingAlerts(alerts)].sort(), ['A1', 'A2', 'A3', 'A5']);
});

test(`of a thousand waiting alerts, ${MAX_PULSING} pulse: the newest high ones first`, () => {
  const alerts = Array.from({ length: 1000 }, (_, i) => alert(`A${i}`, i % 10 === 0 ? 'high' : 'low', i));
  const pulsing = pulsingAlerts(alerts);
  assert.equal(pulsing.size, MAX_PULSING);
  const highs = alerts.filter((a) => a.severity === 'high').slice(-MAX_PULSING);
  assert.deepEqual(
    [...pulsing],
    highs.reverse().map((a) => a.id),
  );
});
