// The regional map: the offline coast (the post console's land layer), and
// every post's sectors, tracks, units and open incidents drawn in its colour,
// each labelled with its post. Focused with M as on a post; arrows pan, + − zoom.
import { divIcon, latLngBounds } from 'leaflet';
import { useEffect, useMemo } from 'react';
import { CircleMarker, LayerGroup, MapContainer, Marker, Polygon, ScaleControl, Tooltip, useMap } from 'react-leaflet';
import type { CentrePostPicture } from '../../shared/contract';
import type { BaseMapData } from '../map/baseMapData';
import { LandLayer } from '../map/LandLayer';
import { DataAttribution } from '../map/MapChrome';
import { SEA_COLOUR } from '../map/mapStyle';
import type { CentreT } from './messages';
import type { PostColour } from './postColours';

/** The whole watched coast, Dunkerque to Berck. */
const REGION_CENTRE: [number, number] = [50.78, 1.85];
const REGION_ZOOM = 9;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function CentreMap({
  baseMap,
  posts,
  colours,
  focus,
  t,
}: {
  baseMap: BaseMapData;
  posts: CentrePostPicture[];
  colours: Map<string, PostColour>;
  focus: { post: string; at: number } | null;
  t: CentreT;
}) {
  return (
    <div className="centre-map" role="region" aria-label={t('map')}>
      <MapContainer
        center={REGION_CENTRE}
        zoom={REGION_ZOOM}
        minZoom={7}
        maxZoom={15}
        style={{ background: SEA_COLOUR }}
        className="coast-map"
        attributionControl
        keyboard
      >
        <LandLayer land={baseMap.land} />
        {/* The shipped coast's licence (ODbL) asks for its attribution wherever it is shown. */}
        <DataAttribution text={baseMap.attribution} />
        {posts.map((post) => (
          <PostLayer key={post.post} post={post} colour={colours.get(post.post) ?? { colour: '#ffffff', className: '' }} t={t} />
        ))}
        <ScaleControl imperial={false} position="bottomright" />
        <FocusPost posts={posts} focus={focus} />
        <MapKey />
      </MapContainer>
    </div>
  );
}

function PostLayer({ post, colour: { colour, className }, t }: { post: CentrePostPicture; colour: PostColour; t: CentreT }) {
  const unitIcons = useMemo(
    () =>
      new Map(
        post.units.map((unit) => [
          unit.id,
          divIcon({
            className: 'centre-unit-icon',
            html: `<span class="centre-unit ${className}" data-post="${escapeHtml(post.post)}" data-unit="${escapeHtml(unit.id)}">${escapeHtml(post.post)} ${escapeHtml(unit.callsign)}</span>`,
            iconSize: undefined,
            iconAnchor: [0, 10],
          }),
        ]),
      ),
    [post.post, post.units, className],
  );
  return (
    <LayerGroup>
      {post.sectors.map((sector) => (
        <Polygon
          key={`${sector.id}:${sector.ring.flat().join(',')}`}
          positions={sector.ring.map(([lon, lat]) => [lat, lon] as [number, number])}
          pathOptions={{ color: colour, weight: 1, opacity: 0.6, fillColor: colour, fillOpacity: 0.05, className: `centre-sector post-${post.post}` }}
        >
          <Tooltip sticky>
            {post.post} · {sector.id} {sector.name}
          </Tooltip>
        </Polygon>
      ))}
      {post.tracks.map((track) => (
        <CircleMarker
          key={track.id}
          center={[track.lat, track.lon]}
          radius={3}
          pathOptions={{ color: colour, weight: 1, fillColor: colour, fillOpacity: track.stale ? 0.2 : 0.8, className: `centre-track post-${post.post}` }}
        >
          <Tooltip>{t('track', { post: post.post, id: track.id, cls: track.cls })}</Tooltip>
        </CircleMarker>
      ))}
      {post.units
        .filter((unit) => unit.lat !== null && unit.lon !== null)
        .map((unit) => (
          <Marker
            key={unit.id}
            position={[unit.lat!, unit.lon!]}
            icon={unitIcons.get(unit.id)!}
            title={t('unit', { post: post.post, callsign: unit.callsign, status: unit.status })}
            keyboard={false}
          />
        ))}
      {post.incidents.map((incident) => (
        <Marker
          key={incident.id}
          position={[incident.lat, incident.lon]}
          icon={divIcon({
            className: 'centre-incident-icon',
            html: `<span class="centre-incident ${className}" data-post="${escapeHtml(post.post)}" data-incident="${escapeHtml(incident.id)}">⚠ ${escapeHtml(post.post)} ${escapeHtml(incident.id)}</span>`,
            iconSize: undefined,
            iconAnchor: [0, 10],
          })}
          title={t('incident', { post: post.post, id: incident.id })}
          keyboard={false}
        />
      ))}
    </LayerGroup>
  );
}

/** Fits the map to the chosen post's units, incidents and sectors. */
function FocusPost({ posts, focus }: { posts: CentrePostPicture[]; focus: { post: string; at: number } | null }) {
  const map = useMap();
  useEffect(() => {
    if (!focus) return;
    const post = posts.find((p) => p.post === focus.post);
    if (!post) return;
    // Where the post's units and incidents are; its sectors when it has neither (they usually cover the whole coast).
    let points: [number, number][] = [
      ...post.units.filter((u) => u.lat !== null && u.lon !== null).map((u) => [u.lat!, u.lon!] as [number, number]),
      ...post.incidents.map((i) => [i.lat, i.lon] as [number, number]),
      ...post.tracks.map((track) => [track.lat, track.lon] as [number, number]),
    ];
    if (points.length === 0) points = post.sectors.flatMap((s) => s.ring.map(([lon, lat]) => [lat, lon] as [number, number]));
    if (points.length > 0) map.fitBounds(latLngBounds(points), { padding: [30, 30], maxZoom: 12 });
    // Only a new request moves the map, not each poll.
  }, [focus, map]);
  return null;
}

/** M puts the keyboard on the map, as on a post's console. */
function MapKey() {
  const map = useMap();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'm' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      map.getContainer().focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [map]);
  return null;
}
