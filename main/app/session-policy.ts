import { contentSecurityPolicy } from '../../shared/csp';

/**
 * The policy the shell sends with every response: the one policy, widened only while a dev server
 * serves the renderer. Kept free of 'electron' so that plain-Node tests can compare it.
 */
export const sessionPolicy = (devServerUrl: string | undefined): string =>
  contentSecurityPolicy(devServerUrl ? { dev: true, devServer: devServerUrl } : {});
