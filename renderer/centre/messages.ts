// The centre console's words, English and French (the post's console keeps
// its own in renderer/i18n/; these are the centre's only).
import type { Language } from '../i18n/language';

const en = {
  title: 'Vigie — regional centre',
  language: 'Français',
  posts: 'Posts',
  noPosts: 'No post has published yet.',
  'connection.connected': 'Connected to the NATS server',
  'connection.offline': 'NATS server unreachable',
  'connection.connecting': 'Connecting…',
  'connection.refused': 'Refused by the NATS server',
  'state.following': 'following',
  'state.stopped': 'stopped',
  'state.stream-missing': 'stream missing on the server',
  head: 'seq {seq} · head {hash}',
  counts: '{units} units · {tracks} tracks · {incidents} open incidents',
  problem: '{kind} at seq {seq}: {detail}',
  foreign: '{count} messages not Vigie’s passed over',
  incidents: 'Open incidents, all posts',
  noIncidents: 'No open incident.',
  unauthorized: 'This address needs the centre’s secret: open the address vigie centre printed.',
  unreachable: 'The centre does not answer.',
  updated: 'updated {time}',
  map: 'Regional map: every post’s sectors, units, tracks and open incidents',
  showPost: 'Show {post} on the map',
  unit: '{post} · unit {callsign} ({status})',
  track: '{post} · track {id} ({cls})',
  incident: '{post} · incident {id}',
  'message.title': 'Request assistance',
  'message.post': 'To post',
  'message.text': 'Message',
  'message.send': 'Send',
  'message.sent': 'Sent to {post}.',
  'message.failed': 'Not sent: {reason}',
  'message.waiting': 'sent {sent} · not yet at the post',
  'message.received': 'sent {sent} · logged at the post {time}',
  'message.acknowledged': 'sent {sent} · acknowledged by {by} at {time}',
};
export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  title: 'Vigie — centre régional',
  language: 'English',
  posts: 'Postes',
  noPosts: 'Aucun poste n’a encore publié.',
  'connection.connected': 'Connecté au serveur NATS',
  'connection.offline': 'Serveur NATS injoignable',
  'connection.connecting': 'Connexion…',
  'connection.refused': 'Refusé par le serveur NATS',
  'state.following': 'suivi',
  'state.stopped': 'arrêté',
  'state.stream-missing': 'flux absent du serveur',
  head: 'seq {seq} · empreinte {hash}',
  counts: '{units} moyens · {tracks} pistes · {incidents} incidents ouverts',
  problem: '{kind} à la seq {seq} : {detail}',
  foreign: '{count} messages étrangers ignorés',
  incidents: 'Incidents ouverts, tous postes',
  noIncidents: 'Aucun incident ouvert.',
  unauthorized: 'Cette adresse demande le secret du centre : ouvrez l’adresse affichée par vigie centre.',
  unreachable: 'Le centre ne répond pas.',
  updated: 'mis à jour {time}',
  map: 'Carte régionale : secteurs, moyens, pistes et incidents ouverts de chaque poste',
  showPost: 'Montrer {post} sur la carte',
  unit: '{post} · moyen {callsign} ({status})',
  track: '{post} · piste {id} ({cls})',
  incident: '{post} · incident {id}',
  'message.title': 'Demande d’assistance',
  'message.post': 'Au poste',
  'message.text': 'Message',
  'message.send': 'Envoyer',
  'message.sent': 'Envoyé à {post}.',
  'message.failed': 'Non envoyé : {reason}',
  'message.waiting': 'envoyé {sent} · pas encore au poste',
  'message.received': 'envoyé {sent} · journalisé au poste {time}',
  'message.acknowledged': 'envoyé {sent} · reçu par {by} à {time}',
};

export type CentreT = (key: MessageKey, params?: Record<string, string | number>) => string;

export function centreTranslator(language: Language): CentreT {
  const words = language === 'fr' ? fr : en;
  return (key, params = {}) => words[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
