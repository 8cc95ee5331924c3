export { Audiences, type FanPage } from './audiences';
export { audiencesHandlers, type AudiencesDeps } from './handlers';
export { importCsv, type CsvImportOptions, type CsvProgress } from './csv-import';
export { fetchFans } from './fetch';
