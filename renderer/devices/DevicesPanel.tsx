// Field devices (issue 13): every ATAK, WinTAK or iTAK device heard on the
// CoT feeds — callsign, team and role, battery, app and device, course and
// speed — greyed once past the stale time it set itself. A supervisor
// registers an unregistered one as a new or an existing unit (one action,
// logged), or blocks a device (its messages are then quarantined).
import { useEffect, useState, type FormEvent } from 'react';
import type { DeviceView } from '../../shared/contract';
import type { UnitType } from '../../shared/domain';
import { useT } from '../i18n/useT';
import { pictureNow, useConsole, useShownPicture } from '../state/store';
import { blockDevice, loadDevices, registerDevice, unblockDevice } from './deviceActions';
import { isStale, useDevices } from './deviceStore';

const UNIT_TYPES: readonly UnitType[] = ['foot', '4x4', 'quad', 'boat', 'drone-team', 'dog-team'];

/** Renders again every 5 s, so a device greys when its stale time passes. */
function useTick(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}

export function DevicesPanel() {
  const t = useT();
  const devices = useDevices((state) => state.devices);
  const message = useDevices((state) => state.message);
  const role = useConsole((state) => state.session?.role);
  useTick(5000);
  useEffect(() => {
    void loadDevices();
  }, []);
  const list = Object.values(devices).sort((a, b) => Number(a.unit !== null) - Number(b.unit !== null) || label(a).localeCompare(label(b)));
  const now = pictureNow();
  return (
    <section className="panel-section devices-panel" aria-labelledby="devices-title" data-testid="devices-panel">
      <h2 id="devices-title">
        {t('devices.title')} <span className="muted">· {t('devices.unregistered', { count: list.filter((d) => d.unit === null).length })}</span>
      </h2>
      {message ? (
        <p role="alert" className="refusal">
          {message}
        </p>
      ) : null}
      {list.length === 0 ? <p className="muted">{t('devices.none')}</p> : null}
      <ul className="device-list">
        {list.map((device) => (
          <DeviceRow key={device.id} device={device} stale={isStale(device, now)} supervisor={role === 'supervisor'} />
        ))}
      </ul>
    </section>
  );
}

function label(device: DeviceView): string {
  return device.callsign ?? device.uid;
}

function DeviceRow({ device, stale, supervisor }: { device: DeviceView; stale: boolean; supervisor: boolean }) {
  const t = useT();
  const [open, setOpen] = useState<'register' | 'block' | null>(null);
  const unitCallsign = useShownPicture((picture) => (device.unit ? picture.units.find((unit) => unit.id === device.unit)?.callsign : undefined));
  const classes = ['device', stale ? 'stale' : '', device.blocked ? 'blocked' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} data-device={device.id} data-stale={stale ? 'true' : 'false'}>
      <div className="device-head">
        <strong>{label(device)}</strong>
        {device.team || device.role ? <span className="muted"> · {[device.team, device.role].filter(Boolean).join(' / ')}</span> : null}
        {device.battery !== null ? (
          <span>
            {' '}
            · {t('devices.battery')} {t('devices.percent', { value: device.battery })}
          </span>
        ) : null}
      </div>
      <div className="device-detail muted">
        {[device.platform && `${device.platform}${device.version ? ` ${device.version}` : ''}`, device.model].filter(Boolean).join(' · ')}
        {device.course !== null || device.speed !== null ? (
          <span> · {t('devices.motion', { course: Math.round(device.course ?? 0), speed: t.number(device.speed ?? 0) })}</span>
        ) : null}
        {stale ? <span> · {t('devices.stale')}</span> : null}
      </div>
      {device.unit ? <div className="device-unit">{t('devices.registeredAs', { unit: unitCallsign ?? device.unit })}</div> : null}
      {device.emergency ? (
        <div className="unit-emergency" role="alert" data-testid="device-emergency">
          {t(`emergency.${device.emergency.kind}`)} · {t.time(device.emergency.since)}
        </div>
      ) : null}
      {device.blocked ? <div className="device-blocked">{t('devices.blocked', { reason: device.blocked })}</div> : null}
      {supervisor ? (
        <div className="device-actions">
          {device.unit === null && !device.blocked ? (
            <button type="button" onClick={() => setOpen(open === 'register' ? null : 'register')} aria-expanded={open === 'register'}>
              {t('devices.register')}
            </button>
          ) : null}
          {device.blocked ? (
            <button type="button" onClick={() => void unblockDevice(device.id)}>
              {t('devices.unblock')}
            </button>
          ) : (
            <button type="button" onClick={() => setOpen(open === 'block' ? null : 'block')} aria-expanded={open === 'block'}>
              {t('devices.block')}
            </button>
          )}
        </div>
      ) : null}
      {open === 'register' ? <RegisterForm device={device} onDone={() => setOpen(null)} /> : null}
      {open === 'block' ? <BlockForm device={device} onDone={() => setOpen(null)} /> : null}
    </li>
  );
}

function RegisterForm({ device, onDone }: { device: DeviceView; onDone: () => void }) {
  const t = useT();
  const units = useShownPicture((picture) => picture.units);
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [callsign, setCallsign] = useState(device.callsign ?? '');
  const [type, setType] = useState<UnitType>('foot');
  const [crew, setCrew] = useState(2);
  const [unit, setUnit] = useState(units[0]?.id ?? '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await registerDevice(mode === 'new' ? { device: device.id, create: { callsign, type, crew } } : { device: device.id, unit });
    if (done) onDone();
  };
  return (
    <form className="device-form" onSubmit={(event) => void submit(event)} aria-label={t('devices.registerTitle', { device: label(device) })}>
      <fieldset>
        <legend>{t('devices.registerTitle', { device: label(device) })}</legend>
        <label>
          <input type="radio" name={`mode-${device.id}`} checked={mode === 'new'} onChange={() => setMode('new')} /> {t('devices.newUnit')}
        </label>
        <label>
          <input type="radio" name={`mode-${device.id}`} checked={mode === 'existing'} onChange={() => setMode('existing')} /> {t('devices.existingUnit')}
        </label>
      </fieldset>
      {mode === 'new' ? (
        <>
          <label>
            {t('devices.callsign')} <input value={callsign} onChange={(event) => setCallsign(event.target.value)} maxLength={32} required />
          </label>
          <label>
            {t('devices.type')}{' '}
            <select value={type} onChange={(event) => setType(event.target.value as UnitType)}>
              {UNIT_TYPES.map((value) => (
                <option key={value} value={value}>
                  {t(`unitType.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('devices.crew')} <input type="number" min={1} max={20} value={crew} onChange={(event) => setCrew(Number(event.target.value))} required />
          </label>
        </>
      ) : (
        <label>
          {t('devices.unit')}{' '}
          <select value={unit} onChange={(event) => setUnit(event.target.value)}>
            {units.map((item) => (
              <option key={item.id} value={item.id}>
                {item.callsign} ({item.id})
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="device-actions">
        <button type="submit">{t('devices.registerConfirm')}</button>
        <button type="button" onClick={onDone}>
          {t('devices.cancel')}
        </button>
      </div>
    </form>
  );
}

function BlockForm({ device, onDone }: { device: DeviceView; onDone: () => void }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await blockDevice(device.id, reason)) onDone();
  };
  return (
    <form className="device-form" onSubmit={(event) => void submit(event)} aria-label={t('devices.blockTitle', { device: label(device) })}>
      <label>
        {t('devices.blockReason')} <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={200} required />
      </label>
      <div className="device-actions">
        <button type="submit">{t('devices.blockConfirm')}</button>
        <button type="button" onClick={onDone}>
          {t('devices.cancel')}
        </button>
      </div>
    </form>
  );
}
