import type { Role } from '#routes/roles.ts';

/**
 * The demo people of the local runtime's OpenID provider: one or two per role, so the web app and scripts can
 * act as a CX admin, an analyst, the manager of a store (carla), the manager of a city's stores (eli) or a viewer
 * of two regions (dev). Local only: their passwords are printed in
 * `.local/runtime.json` and by `npm start`.
 */
export interface DemoPerson {
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly password: string;
  /** Language of the person's screens and emails. */
  readonly locale: 'es' | 'pt' | 'en';
  /** The places a manager or a viewer may see, granted at start (docs/access.md). */
  readonly places?: readonly string[];
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    username: 'ana',
    name: 'Ana Souza',
    email: 'ana@example.com',
    role: 'admin',
    password: 'ana-local',
    locale: 'pt',
  },
  {
    username: 'bruno',
    name: 'Bruno Díaz',
    email: 'bruno@example.com',
    role: 'analyst',
    password: 'bruno-local',
    locale: 'es',
  },
  {
    username: 'sam',
    name: 'Sam Taylor',
    email: 'sam@example.com',
    role: 'analyst',
    password: 'sam-local',
    locale: 'en',
  },
  {
    username: 'carla',
    name: 'Carla Mendes',
    email: 'carla@example.com',
    role: 'manager',
    password: 'carla-local',
    locale: 'pt',
    places: ['store:s-001'],
  },
  {
    username: 'eli',
    name: 'Eli Romero',
    email: 'eli@example.com',
    role: 'manager',
    password: 'eli-local',
    locale: 'es',
    places: ['city:lima'],
  },
  {
    username: 'dev',
    name: 'Dev Patel',
    email: 'dev@example.com',
    role: 'viewer',
    password: 'dev-local',
    locale: 'en',
    places: ['region:north', 'region:south'],
  },
];
