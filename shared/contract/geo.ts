// Coordinates as the contract carries them.
import { z } from 'zod';

export const Longitude = z.number().min(-180).max(180);
export const Latitude = z.number().min(-90).max(90);
/** GeoJSON order: [lon, lat]. */
export const Position = z.tuple([Longitude, Latitude]);
