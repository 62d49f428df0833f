import { atriumProject } from '../../tooling/vitest/config';

export default atriumProject();
