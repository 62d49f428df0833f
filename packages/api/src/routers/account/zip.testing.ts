// The archive reader lives in the test kit, shared with the browser tests.
export { readZip } from '@atrium/testing/zip';
