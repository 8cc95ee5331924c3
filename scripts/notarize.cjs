'use strict';
// electron-builder afterSign hook: notarizes the signed macOS app when Apple credentials are set.
// It runs for every target (the Linux packaging test included), so it must be a no-op elsewhere
// and say why in the build log rather than fail a build that cannot notarize.

/** Which credentials, if any, the environment holds: an app-specific password or an App Store Connect API key. */
function notarizeCredentials(env) {
  if (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) {
    return { appleApiKey: env.APPLE_API_KEY, appleApiKeyId: env.APPLE_API_KEY_ID, appleApiIssuer: env.APPLE_API_ISSUER };
  }
  if (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) {
    return { appleId: env.APPLE_ID, appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD, teamId: env.APPLE_TEAM_ID };
  }
  return undefined;
}

/**
 * What the hook will do for this build: skip (with the reason logged) or notarize with these
 * options. Pure, so it is tested under Node without Apple's service.
 */
function notarizePlan(context, env) {
  if (context.electronPlatformName !== 'darwin') {
    return { action: 'skip', reason: `notarize: skipped, not a macOS build (${context.electronPlatformName})` };
  }
  const credentials = notarizeCredentials(env);
  if (!credentials) {
    return {
      action: 'skip',
      reason: 'notarize: skipped, no Apple credentials (set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID or APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER)',
    };
  }
  const appPath = `${context.appOutDir}/${context.packager.appInfo.productFilename}.app`;
  return { action: 'notarize', options: { appPath, ...credentials } };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS hook electron-builder loads; the require stays lazy
async function afterSign(context, env = process.env, log = console.log, load = () => require('@electron/notarize')) {
  const plan = notarizePlan(context, env);
  if (plan.action === 'skip') {
    log(plan.reason);
    return plan;
  }
  log(`notarize: submitting ${plan.options.appPath} to Apple`);
  // Lazy: only a macOS release machine needs it (shipped with electron-builder's dependencies).
  await load().notarize(plan.options);
  log('notarize: done');
  return plan;
}

module.exports = afterSign;
module.exports.default = afterSign;
module.exports.notarizePlan = notarizePlan;
