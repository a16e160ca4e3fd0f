// Mounts the imperative canvas of tracks and units on the map, picks what is
// clicked on it, and keeps a followed track or unit in view.
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';
import { subscribeShownPositions, useConsole } from '../state/store';
import { LiveCanvasLayer, pickedPosition } from './LiveCanvasLayer';

/** A press that moved further than this is a drag of the map, not a click. */
const CLICK_SLOP = 4;

export function LiveLayer() {
  const map = useMap();
  useEffect(() => {
    const layer = new LiveCanvasLayer().addTo(map);
    const container = map.getContainer();
    let down: { x: number; y: number } | null = null;
    const onDown = (event: MouseEvent) => (down = { x: event.clientX, y: event.clientY });
    // Capture phase, before Leaflet: a click on a track or unit picks it and
    // goes no further (the sector beneath is not selected as well).
    const onClick = (event: MouseEvent) => {
      if (down && Math.hypot(event.clientX - down.x, event.clientY - down.y) > CLICK_SLOP) return;
      if ((event.target as Element).closest('.leaflet-control')) return;
      const picked = layer.pickAt(map.mouseEventToContainerPoint(event));
      if (!picked) return;
      event.stopPropagation();
      useConsole.getState().pick(picked);
    };
    container.addEventListener('mousedown', onDown, true);
    container.addEventListener('click', onClick, true);
    // Dragging the map is the operator taking it back from "follow".
    const stopFollowing = () => useConsole.getState().setFollowing(false);
    map.on('dragstart', stopFollowing);
    return () => {
      container.removeEventListener('mousedown', onDown, true);
      container.removeEventListener('click', onClick, true);
      map.off('dragstart', stopFollowing);
      layer.remove();
    };
  }, [map]);

  useEffect(() => {
    // Follow: re-centre when the followed item has moved, not on every delta.
    let last = '';
    const follow = () => {
      const { picked, following } = useConsole.getState();
      if (!picked || !following) return void (last = '');
      const position = pickedPosition(picked);
      if (!position) return;
      const key = position.latLng.join(',');
      if (key === last) return;
      last = key;
      map.panTo(position.latLng, { animate: false });
    };
    const unsubscribePositions = subscribeShownPositions(follow);
    const unsubscribeStore = useConsole.subscribe((state, previous) => {
      if (state.picked !== previous.picked || state.following !== previous.following) follow();
    });
    return () => {
      unsubscribePositions();
      unsubscribeStore();
    };
  }, [map]);
  return null;
}
