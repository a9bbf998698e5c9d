import { describe, expect, it } from 'vitest';
import { auditActionOf, auditDays } from '#access/rules/audit.ts';
import { auditOf } from '#http/audit.ts';
import { routeEntries } from '#routes/index.ts';

describe('what the audit trail records', () => {
  it('records every change and every read of personal data, and no read of figures or open route', () => {
    const audited = Object.fromEntries(routeEntries().map((r) => [r.key, auditOf(r.key, r.spec) ?? null]));
    expect(audited['PUT /v1/surveys/{surveyId}']).toBe('change');
    expect(audited['PUT /v1/access/grants/{subject}']).toBe('change');
    expect(audited['POST /v1/cases/{caseId}/resolve']).toBe('change');
    expect(audited['GET /v1/surveys/{surveyId}/responses']).toBe('read');
    expect(audited['GET /v1/exports/{exportId}']).toBe('read');
    expect(audited['GET /v1/contacts/{contactId}']).toBe('read');
    expect(audited['GET /v1/cases/{caseId}']).toBe('read');
    expect(audited['GET /v1/surveys/{surveyId}/metrics']).toBeNull();
    expect(audited['GET /v1/me']).toBeNull();
    // Customers' and vendors' own posts are not people of the team acting.
    expect(audited['POST /v1/responses']).toBeNull();
    expect(audited['POST /s/{surveyId}']).toBeNull();
    expect(auditActionOf('DELETE', undefined)).toBe('change');
  });

  it('reads the last 7 days unless told, newest first, and at most 31', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(auditDays({}, now)).toEqual([
      '2026-12-03',
      '2026-12-02',
      '2026-12-01',
      '2026-11-30',
      '2026-11-29',
      '2026-11-28',
      '2026-11-27',
    ]);
    expect(auditDays({ from: '2026-11-01', to: '2026-12-01' }, now)).toHaveLength(31);
    expect(() => auditDays({ from: '2026-10-31', to: '2026-12-01' }, now)).toThrow(/1 to 31 days/);
    expect(() => auditDays({ from: '2026-12-02', to: '2026-12-01' }, now)).toThrow(/1 to 31 days/);
  });
});
