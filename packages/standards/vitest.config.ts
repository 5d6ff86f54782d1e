import { packageProject } from '../../vitest.shared.js';

export default packageProject('standards', import.meta.url);
