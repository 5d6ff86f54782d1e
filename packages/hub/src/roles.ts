/**
 * The roles a token can carry (ARCHITECTURE.md "Roles"): the platform administrator (数据主管
 * 部门), the auditor (kept apart from the administrator, GB/T 39477), an organisation's data
 * officer, its reviewer of applications, and a consumer application.
 */
export const ROLES = ['admin', 'auditor', 'officer', 'reviewer', 'consumer'] as const;

export type Role = (typeof ROLES)[number];

/** Who may call a route: some roles, any authenticated caller, or anyone. Nothing else exists. */
export type Access = readonly Role[] | 'authenticated' | 'public';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
