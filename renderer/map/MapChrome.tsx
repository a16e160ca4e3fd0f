// The map's small instruments: attribution of the shipped data, the cursor's
// coordinates, fitting the view to the selected sector, and the map for
// keyboard and screen-reader users.
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useMap, useMapEvents } from 'react-leaflet';
import type { Sector } from '../../shared/contract';
import type { Translator } from '../i18n/translate';
import { registerFocusRegion } from '../keyboard/focusRegions';
import { useConsole } from '../state/store';

export function DataAttribution({ text }: { text: string }) {
  const map = useMap();
  useEffect(() => {
    // Leaflet's default prefix is a link to its website; a console that never
    // leaves the machine names it in plain text instead.
    map.attributionControl.setPrefix('Leaflet');
    map.attributionControl.addAttribution(text);
    return () => {
      map.attributionControl.removeAttribution(text);
    };
  }, [map, text]);
  return null;
}

export function CursorTracker() {
  const setCursor = useConsole((state) => state.setCursor);
  useMapEvents({
    mousemove: (event) => setCursor({ lat: event.latlng.lat, lon: event.latlng.lng }),
    mouseout: () => setCursor(null),
  });
  return null;
}

export function FitToSector({ sector }: { sector: Sector | undefined }) {
  const map = useMap();
  useEffect(() => {
    if (!sector) return;
    const bounds = L.latLngBounds(sector.ring.map(([lon, lat]) => [lat, lon] as [number, number]));
    map.flyToBounds(bounds, { maxZoom: 13, padding: [40, 40], duration: 0.6 });
  }, [map, sector]);
  return null;
}

/** Flies to the points the operator asked to see (Z: the incident and its units). */
export function FitToTarget() {
  const map = useMap();
  const target = useConsole((state) => state.fitTarget);
  useEffect(() => {
    if (!target || target.points.length === 0) return;
    if (target.points.length === 1) map.flyTo(target.points[0]!, Math.max(map.getZoom(), 13), { duration: 0.6 });
    else map.flyToBounds(L.latLngBounds(target.points), { maxZoom: 14, padding: [60, 60], duration: 0.6 });
  }, [map, target]);
  return null;
}

/** Layer-control inputs, in order: the list is rebuilt when layers are renamed. */
const LAYER_INPUTS = '.leaflet-control-layers-list input';

/**
 * The map for keyboard and screen-reader users: names its focusable container
 * and Leaflet's controls (Leaflet writes their English titles once, at
 * creation) in the operator's language, makes it M's target, and, when a
 * language switch rebuilds what had the focus (a layer checkbox, a sensor
 * marker), puts the focus back on its counterpart or on the map.
 */
export function MapAccessibility({ t }: { t: Translator }) {
  const map = useMap();
  const lastFocus = useRef<{ element: Element; layerInput: number | null } | null>(null);

  useEffect(() => {
    const container = map.getContainer();
    registerFocusRegion('map', container);
    const onFocusIn = (event: FocusEvent) => {
      const element = event.target as Element;
      const layerInput = [...container.querySelectorAll(LAYER_INPUTS)].indexOf(element);
      lastFocus.current = { element, layerInput: layerInput < 0 ? null : layerInput };
    };
    container.addEventListener('focusin', onFocusIn);
    return () => {
      container.removeEventListener('focusin', onFocusIn);
      registerFocusRegion('map', null);
    };
  }, [map]);

  useEffect(() => {
    const container = map.getContainer();
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', t('map.label'));
    const name = (selector: string, text: string) => {
      const element = container.querySelector<HTMLElement>(selector);
      element?.setAttribute('title', text);
      element?.setAttribute('aria-label', text);
    };
    name('.leaflet-control-zoom-in', t('map.zoomIn'));
    name('.leaflet-control-zoom-out', t('map.zoomOut'));
    name('.leaflet-control-layers-toggle', t('map.layers'));

    const last = lastFocus.current;
    const active = document.activeElement;
    if (!last || last.element.isConnected || (active && active !== document.body)) return;
    const counterpart = last.layerInput === null ? null : container.querySelectorAll<HTMLElement>(LAYER_INPUTS)[last.layerInput];
    (counterpart ?? container).focus();
  }, [map, t]);
  return null;
}
