// Accounts, sign-in and shifts (issue 5; docs/accounts.md).
import { z } from 'zod';
import { Role } from '../domain';

const OperatorName = z.string().min(1).max(64);
const Password = z.string().min(1).max(1024);

export const ShiftView = z.object({
  id: z.number().int(),
  openedAt: z.number().int(),
  openedBy: z.string(),
  closedAt: z.number().int().nullable(),
  closedBy: z.string().nullable(),
  handover: z.string().nullable(),
  firstSeq: z.number().int(),
  lastSeq: z.number().int().nullable(),
});
export type ShiftView = z.infer<typeof ShiftView>;

export const SessionView = z.object({ name: z.string(), role: Role, shift: ShiftView });
export type SessionView = z.infer<typeof SessionView>;

export const AccountView = z.object({ name: z.string(), role: Role, createdAt: z.number().int(), createdBy: z.string().nullable() });
export type AccountView = z.infer<typeof AccountView>;

export const accountRequests = {
  /** First run: no account exists yet, the console asks for the first supervisor. */
  'setup.status': { params: z.object({}).strict(), result: z.object({ needsFirstSupervisor: z.boolean() }) },
  /** Creates the first supervisor; refused once any account exists. */
  'setup.createSupervisor': { params: z.object({ name: OperatorName, password: Password }).strict(), result: z.object({ name: z.string() }) },
  /** Signs in: opens a shift, or joins the open one. Wrong passwords are slowed down and logged. */
  'session.signIn': { params: z.object({ name: OperatorName, password: Password }).strict(), result: SessionView.extend({ session: z.string() }) },
  'session.current': { params: z.object({}).strict(), result: SessionView },
  'session.signOut': { params: z.object({}).strict(), result: z.object({ signedOut: z.boolean() }) },
  'shift.current': { params: z.object({}).strict(), result: z.object({ shift: ShiftView.nullable() }) },
  /** Shifts, newest first (for replay and figures). */
  'shift.list': { params: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(), result: z.object({ shifts: z.array(ShiftView) }) },
  /** Closes the open shift with a handover note; everyone on it is signed out. */
  'shift.close': { params: z.object({ handover: z.string().trim().min(1).max(8000) }).strict(), result: ShiftView },
  'user.list': { params: z.object({}).strict(), result: z.object({ accounts: z.array(AccountView) }) },
  'user.add': { params: z.object({ name: OperatorName, role: Role, password: Password }).strict(), result: AccountView },
} as const;
