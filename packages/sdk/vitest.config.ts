import { packageProject } from '../../vitest.shared.js';

export default packageProject('sdk', import.meta.url);
