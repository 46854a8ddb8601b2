import type { FastifyRequest } from 'fastify';
import type { BrowserInfo } from '../../acquirers/acquirer.ts';
import { formText } from '../../web/forms.ts';
import type { Locale } from '../../i18n/index.ts';
import type { Form } from '../render-payment.ts';

/**
 * What 3-D Secure 2 wants to know about the browser: headers as sent, and what the page's
 * script measured (hidden fields); plausible values when scripts did not run.
 */
export function browserInfoOf(request: FastifyRequest, form: Form | undefined, locale: Locale): BrowserInfo {
  const number = (name: string, fallback: number, min: number, max: number) => {
    const value = Number(formText(form, name));
    return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
  };
  const header = (name: string, fallback: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value.length > 0 ? value.slice(0, 512) : fallback;
  };
  return {
    userAgent: header('user-agent', 'unknown'),
    acceptHeader: header('accept', 'text/html'),
    language: header('accept-language', locale).split(',')[0]!.trim().slice(0, 35) || locale,
    colorDepth: number('colorDepth', 24, 1, 48),
    screenHeight: number('screenHeight', 768, 1, 100_000),
    screenWidth: number('screenWidth', 1024, 1, 100_000),
    timeZoneOffset: number('timeZoneOffset', 0, -900, 900),
    javaEnabled: false,
  };
}
