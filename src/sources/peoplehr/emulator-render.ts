// Renders the kit's HrPerson as a People HR employee object (swagger ResultGetEmployeeDetail shape).
import type { HrPerson } from '../_shared/generator.js';

const COMPANY = 'Acme Ltd';

/** People HR's employment types are a managed list; these are plausible UK account values. */
const employmentTypes: Record<HrPerson['contractType'], string> = {
  permanent: 'Full Time',
  'fixed-term': 'Fixed Term',
  freelance: 'Contractor',
  intern: 'Intern',
};

/** People HR's gender list is account-defined; rostersync does not sync gender from People HR. */
const genders: Record<HrPerson['gender'], string> = {
  female: 'Female',
  male: 'Male',
  diverse: 'Non-binary',
  undefined: 'Prefer not to say',
};

const withHistory = (value: string) => ({ DisplayValue: value, FieldHistory: [] as unknown[] });
const withEffective = (value: string) => ({
  DisplayValue: value,
  FieldHistoryForEffectiveDate: [] as unknown[],
});
const plain = (value: string) => ({ DisplayValue: value });

const emptyGroup = (keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((key) => [key, withHistory('')]));

const bankKeys = ['BankName', 'BankAddress', 'BankCode', 'AccountNumber', 'AccountName'] as const;
const employmentKeys = [
  'PayrollCompany',
  'TimeAndAttendanceID',
  'RotaID',
  'CRMID',
  'ATSID',
  'PerformanceID',
  'BenefitsID',
  'System1ID',
  'System2ID',
  'System3ID',
  'MethodOfRecruitment',
] as const;

/** Whether People HR counts the person as a leaver (left out unless `IncludeLeavers` is true). */
export const isLeaver = (p: HrPerson, today: string): boolean =>
  p.status === 'inactive' || (p.leavingDate !== null && p.leavingDate < today);

/**
 * One employee in the wire shape: every field wrapped as `{DisplayValue, ...history}`, except the
 * plain strings `LeavingDate`, `ReasonForLeaving`, `EmployeeImage` and `APIColumn1..5`.
 * `EmployeeStatus` is "1" for current staff and "0" for leavers (the meaning is inferred).
 */
export const renderEmployee = (p: HrPerson, byId: ReadonlyMap<string, HrPerson>): Record<string, unknown> => {
  const manager = p.managerId === null ? undefined : byId.get(p.managerId);
  const since = p.currentHiredOn || p.firstHiredOn;
  return {
    EmployeeId: withHistory(p.id),
    Title: withHistory(''),
    FirstName: withHistory(p.firstName),
    LastName: withHistory(p.lastName),
    OtherName: withHistory(''),
    KnownAs: withHistory(''),
    EmailId: withHistory(p.email),
    StartDate: withHistory(p.firstHiredOn),
    DateOfBirth: withHistory(p.birthDate),
    JobRole: { DisplayValue: p.position, FieldHistoryForJobRole: [] as unknown[] },
    Company: withEffective(COMPANY),
    CompanyEffectiveDate: plain(p.firstHiredOn),
    Location: withEffective(p.location),
    LocationEffectiveDate: plain(since),
    Department: withEffective(p.department),
    DepartmentEffectiveDate: plain(since),
    JobRoleChangeDate: plain(since),
    ReportsTo: withEffective(manager === undefined ? '' : `${manager.firstName} ${manager.lastName}`),
    ReportsToEffectiveDate: plain(manager === undefined ? '' : since),
    ReportsToEmployeeId: plain(p.managerId ?? ''),
    ReportsToEmailAddress: plain(manager?.email ?? ''),
    NISNumber: withHistory(''),
    Nationality: withHistory(''),
    EmploymentType: withEffective(employmentTypes[p.contractType]),
    EmploymentTypeEffectiveDate: plain(p.firstHiredOn),
    EmployeeStatus: plain(p.status === 'active' ? '1' : '0'),
    HolidayAllowanceDays: plain('25.00'),
    HolidayAllowanceMins: plain('0'),
    NoticePeriod: withHistory(''),
    ProbationEndDate: withHistory(''),
    Gender: withHistory(genders[p.gender]),
    ContactDetail: {
      Address: withHistory(''),
      WorkPhoneNumber: withHistory(p.phone),
      PersonalPhoneNumber: withHistory(''),
      PersonalEmail: withHistory(''),
      Mobile: withHistory(''),
    },
    OtherContact: [],
    RightToWork: [],
    BackgroundDetail: [],
    BankDetail: emptyGroup(bankKeys),
    EmploymentDetail: { ...emptyGroup(employmentKeys), PayrollID: withHistory(p.employeeNumber) },
    LeavingDate: p.leavingDate ?? '',
    ReasonForLeaving: p.leavingDate === null ? '' : 'Resignation',
    EmployeeImage: '',
    APIColumn1: '',
    APIColumn2: '',
    APIColumn3: '',
    APIColumn4: '',
    APIColumn5: '',
    lstFieldHistoryJobrole: null,
  };
};
