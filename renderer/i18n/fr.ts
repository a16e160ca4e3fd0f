// The console's words in French, for control rooms on the French side.
// Typed against English: a missing or extra key, text in place of plural
// forms, or a {placeholder} English does not have is a compile error.
// French typography: a no-break space (\u00a0) before « : ».
import type { Messages, PlaceholderMismatches } from './messages';

export const fr = {
  'brand.region': "Côte d'Opale",

  'language.group': 'Langue',
  'language.en': 'Anglais',
  'language.fr': 'Français',

  'connection.connecting': 'Connexion au serveur Vigie…',
  'connection.open': 'Serveur Vigie connecté',
  'connection.closed': 'Serveur Vigie injoignable — nouvelle tentative…',
  'connection.unauthorized': 'Secret absent ou erroné\u00a0: ouvrez l’adresse affichée par `vigie serve`',
  'connection.incompatible': 'Cette console ne correspond pas à la version du serveur Vigie',
  'connection.version': ' · version {version}',

  'counts.line': 'Pistes {tracks} · Unités {units} · Alertes {alerts}',
  'log.empty': 'Journal\u00a0: —',
  'log.status': { one: 'Journal\u00a0: {count} événement · empreinte {head}…', other: 'Journal\u00a0: {count} événements · empreinte {head}…' },
  'log.headTitle': 'Empreinte du dernier bloc du journal\u00a0: {hash}',

  'help.open': 'Raccourcis clavier',
  'help.title': 'Raccourcis clavier',
  'help.close': 'Fermer',
  'help.intro': 'Les raccourcis fonctionnent partout, sauf pendant la saisie dans un champ de texte.',
  'help.group.general': 'Général',
  'help.group.focus': 'Se déplacer dans l’écran',
  'help.group.map': 'Carte (quand elle a le focus)',
  'help.group.lists': 'Listes',
  'help.group.dispatch': 'Engagement',
  'help.or': 'ou',

  'keys.escape': 'Échap',
  'keys.tab': 'Tab',
  'keys.shiftTab': 'Maj+Tab',

  'shortcut.help': 'Afficher ou masquer cette aide',
  'shortcut.language': 'Changer de langue (anglais / français)',
  'shortcut.focusMap': 'Aller à la carte',
  'shortcut.focusSectors': 'Aller à la liste des secteurs',
  'shortcut.focusAlerts': 'Aller à la liste des alertes',
  'shortcut.zoom': 'Zoom avant / arrière',
  'shortcut.pan': 'Déplacer la carte',
  'shortcut.listMove': 'Secteur précédent / suivant, premier / dernier',
  'shortcut.tab': 'Commande suivante / précédente',
  'shortcut.closeDialog': 'Fermer cette fenêtre',

  'alerts.title': 'Alertes',
  'alerts.listLabel': { one: '{count} alerte en cours', other: '{count} alertes en cours' },
  'alerts.none': 'Aucune alerte en cours',
  'alerts.openSea': 'au large',
  'alerts.people': { one: '{count} personne', other: '{count} personnes' },
  'alerts.severity.high': 'gravité élevée',
  'alerts.severity.medium': 'gravité moyenne',
  'alerts.severity.low': 'gravité faible',
  'alertKind.group-on-beach': 'Groupe sur la plage',
  'alertKind.boat-launch': 'Mise à l’eau',
  'alertKind.boat-at-sea': 'Embarcation en mer',
  'alertKind.vehicle': 'Véhicule',
  'alertKind.suspicious-activity': 'Activité suspecte',
  'alertKind.sensor-silent': 'Capteur muet',

  'age.seconds': '{s} s',
  'age.minutes': '{m} min',
  'age.hours': '{h} h {m} min',

  'sectors.title': 'Secteurs de plage',
  'sectors.risk': 'risque',
  'risk.high': 'élevé',
  'risk.medium': 'moyen',
  'risk.low': 'faible',

  'feeds.title': 'Flux',
  'feeds.quarantined': '{count} en quarantaine',
  'feeds.source': 'Source',
  'feeds.accepted': 'OK',
  'feeds.acceptedTitle': 'Messages acceptés',
  'feeds.rejected': 'Rejetés',
  'feeds.rejectedTitle': 'Messages rejetés, par motif (tous conservés en quarantaine)',
  'feeds.held': 'Retenus',
  'feeds.heldTitle': 'Messages écartés ou retenus par la limite de débit de la source',

  'map.label': 'Carte de la côte',
  'map.loading': 'Chargement de la carte hors ligne…',
  'map.failed': 'Impossible de charger le fond de carte hors ligne\u00a0: {error}',
  'map.cursorHint': 'Survolez la carte pour lire les coordonnées',
  'map.layers': 'Couches',
  'map.zoomIn': 'Zoom avant',
  'map.zoomOut': 'Zoom arrière',
  'layer.coast': 'Côte (hors ligne)',
  'layer.sectors': 'Secteurs de plage',
  'layer.sensors': 'Capteurs et couverture',
  'layer.places': 'Noms de lieux',

  'sensor.state.ok': 'en service',
  'sensor.state.silent': 'muet',
  'sensor.tooltip': '{name} — {state}',
} as const satisfies Messages;

/** Compile-time check: fails, naming the key, if a French template's placeholders differ from English. */
export const frenchPlaceholdersMatch: [PlaceholderMismatches<typeof fr>] extends [never] ? true : PlaceholderMismatches<typeof fr> = true;
