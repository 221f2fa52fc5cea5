export { sitePages as siteModule } from './pages.js';
export { siteMessages } from './messages.js';
export { staffAreas } from './hubs.js';
