import { packageProject } from '../../vitest.shared.js';

export default packageProject('hub', import.meta.url);
