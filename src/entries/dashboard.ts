/**
 * `arbiter/dashboard`: the local web dashboard as a library: build its Fastify app (for tests or
 * embedding) or start the server `arbiter dashboard` runs, and the types of its JSON API.
 *
 * Does not load TensorFlow.js. Kept out of the everything entry `arbiter`, so that importing the
 * library never loads Fastify; import this subpath to serve the dashboard.
 * @packageDocumentation
 */

export {
  createDashboardApp,
  startDashboardServer,
  type DashboardOptions,
  type DashboardServer,
} from '../dashboard/dashboard-server.js';
export type * from '../dashboard/dashboard-api.js';
