/** The checks: every configured path, concurrently, each judged by the core. */
import { joinUrl, type PathCheck } from '../core/smoke-config.js';
import { evaluateCheck, type CheckResult } from '../core/smoke-report.js';
import type { HttpProber } from './http.js';

export async function runChecks(
  prober: HttpProber,
  baseUrl: string,
  checks: readonly PathCheck[],
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check) => {
      const url = joinUrl(baseUrl, check.path);
      return evaluateCheck(check, url, await prober.check(url));
    }),
  );
}
