/** Nmbrs wire records (field names as the SOAP API spells them) and their parsers from SOAP result nodes. */
import { anyChildren, child, children, field } from './soap.js';
import type { XmlNode } from './soap.js';

/** CompanyService.List_GetAll → `Company` (note the capitalised `ID`). */
export interface NmbrsCompany {
  readonly ID: string;
  readonly Number: string | null;
  readonly Name: string | null;
}

/** EmployeeService.EmployeeType_GetList → `EmployeeType`. */
export interface NmbrsEmployeeType {
  readonly Id: string;
  readonly Description: string | null;
}

/** EmployeeService.List_GetByCompany → `Employee`. */
export interface NmbrsEmployeeListItem {
  readonly Id: string;
  readonly Number: string | null;
  readonly DisplayName: string | null;
}

/** One dated personal-info record (`PersonalInfo_V2`), reduced to the fields rostersync uses. */
export interface NmbrsPersonalInfo {
  readonly Id: string | null;
  readonly EmployeeNumber: string | null;
  readonly FirstName: string | null;
  readonly Initials: string | null;
  readonly Prefix: string | null;
  readonly LastName: string | null;
  readonly Gender: string | null;
  readonly Birthday: string | null;
  readonly TelephoneWork: string | null;
  readonly TelephoneMobileWork: string | null;
  readonly EmailWork: string | null;
  readonly CreationDate: string | null;
  readonly StartPeriod: string | null;
  readonly StartYear: string | null;
}

/** One dated function (job) record of Function_GetAll_AllEmployeesByCompany_V2. */
export interface NmbrsFunction {
  readonly RecordId: string | null;
  readonly Id: string | null;
  readonly Code: string | null;
  readonly Description: string | null;
  readonly CreationDate: string | null;
  readonly StartPeriod: string | null;
  readonly StartYear: string | null;
}

/** One `EmployeeContract` (the API spells `EmployementType`). */
export interface NmbrsContract {
  readonly ContractID: string | null;
  readonly CreationDate: string | null;
  readonly StartDate: string | null;
  readonly EndDate: string | null;
  readonly Indefinite: string | null;
  readonly EmployementType: string | null;
  readonly HoursPerWeek: string | null;
}

/** One `Employment` (period in service); `EndDate` is the out-of-service date. */
export interface NmbrsEmployment {
  readonly EmploymentId: string | null;
  readonly CreationDate: string | null;
  readonly StartDate: string | null;
  readonly EndDate: string | null;
  readonly InitialStartDate: string | null;
}

/** Manager_GetCurrent: a debtor-level manager record, not an employee link. */
export interface NmbrsManager {
  readonly Number: string | null;
  readonly FirstName: string | null;
  readonly Name: string | null;
  readonly Email: string | null;
}

/**
 * The raw record `read` yields: everything Nmbrs returned about one employee, joined by employee
 * id across the per-company calls. `ManagerEmployeeId` is the employee whose work e-mail equals
 * the manager's e-mail (Nmbrs managers are separate records); `AsOf` is the read date, which
 * decides which dated records are current.
 */
export interface NmbrsEmployeeRecord {
  readonly EmployeeId: string;
  readonly Company: { readonly ID: string; readonly Name: string | null };
  readonly Employee: NmbrsEmployeeListItem;
  readonly PersonalInfos: readonly NmbrsPersonalInfo[];
  readonly Functions: readonly NmbrsFunction[];
  readonly Contracts: readonly NmbrsContract[];
  readonly Employments: readonly NmbrsEmployment[];
  readonly Manager: NmbrsManager | null;
  readonly ManagerEmployeeId: string | null;
  readonly AsOf: string;
}

const firstField = (node: XmlNode | undefined, names: readonly string[]): string | null => {
  for (const name of names) {
    const value = field(node, name);
    if (value !== null) return value;
  }
  return null;
};

const employeeIdOf = (item: XmlNode): string | null => firstField(item, ['EmployeeId', 'EmployeeID']);

/** Groups `<Item><EmployeeId/><Wrapper>records…</Wrapper></Item>` lists by employee id. */
function groupByEmployee<T>(o: {
  result: XmlNode | undefined;
  items: readonly string[];
  wrapper: string;
  read: (record: XmlNode) => T;
}): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const itemName of o.items) {
    for (const item of children(o.result, itemName)) {
      const id = employeeIdOf(item);
      if (id === null) continue;
      const list = out.get(id) ?? [];
      list.push(...anyChildren(child(item, o.wrapper)).map(o.read));
      out.set(id, list);
    }
  }
  return out;
}

export const parseCompanies = (result: XmlNode | undefined): NmbrsCompany[] =>
  children(result, 'Company').flatMap((c) => {
    const id = firstField(c, ['ID', 'Id']);
    return id === null ? [] : [{ ID: id, Number: field(c, 'Number'), Name: field(c, 'Name') }];
  });

export const parseEmployeeTypes = (result: XmlNode | undefined): NmbrsEmployeeType[] =>
  children(result, 'EmployeeType').flatMap((t) => {
    const id = field(t, 'Id');
    return id === null ? [] : [{ Id: id, Description: field(t, 'Description') }];
  });

export const parseEmployeeList = (result: XmlNode | undefined): NmbrsEmployeeListItem[] =>
  children(result, 'Employee').flatMap((e) => {
    const id = field(e, 'Id');
    return id === null ? [] : [{ Id: id, Number: field(e, 'Number'), DisplayName: field(e, 'DisplayName') }];
  });

const readPersonalInfo = (p: XmlNode): NmbrsPersonalInfo => ({
  Id: field(p, 'Id'),
  EmployeeNumber: field(p, 'EmployeeNumber'),
  FirstName: field(p, 'FirstName'),
  Initials: field(p, 'Initials'),
  Prefix: field(p, 'Prefix'),
  LastName: field(p, 'LastName'),
  Gender: field(p, 'Gender'),
  Birthday: field(p, 'Birthday'),
  TelephoneWork: field(p, 'TelephoneWork'),
  TelephoneMobileWork: field(p, 'TelephoneMobileWork'),
  EmailWork: field(p, 'EmailWork'),
  CreationDate: field(p, 'CreationDate'),
  StartPeriod: field(p, 'StartPeriod'),
  StartYear: field(p, 'StartYear'),
});

/** PersonalInfo(WithoutBSN)…AllEmployeesByCompany → personal-info history per employee id. */
export const parsePersonalInfoItems = (result: XmlNode | undefined): Map<string, NmbrsPersonalInfo[]> =>
  groupByEmployee({
    result,
    items: ['PersonalInfoItem'],
    wrapper: 'EmployeePersonalInfos',
    read: readPersonalInfo,
  });

const readFunction = (f: XmlNode): NmbrsFunction => {
  // _V2 nests the function in <Function>; the older shape has Id/Code/Description inline.
  const fn = child(f, 'Function') ?? f;
  return {
    RecordId: field(f, 'RecordId'),
    Id: field(fn, 'Id'),
    Code: field(fn, 'Code'),
    Description: field(fn, 'Description'),
    CreationDate: field(f, 'CreationDate'),
    StartPeriod: field(f, 'StartPeriod'),
    StartYear: field(f, 'StartYear'),
  };
};

/** Function_GetAll_AllEmployeesByCompany_V2 → function history per employee id. */
export const parseFunctionItems = (result: XmlNode | undefined): Map<string, NmbrsFunction[]> =>
  groupByEmployee({
    result,
    items: ['EmployeeFunctionItem_V2', 'EmployeeFunctionItem'],
    wrapper: 'EmployeeFunctions',
    read: readFunction,
  });

const readContract = (c: XmlNode): NmbrsContract => ({
  ContractID: firstField(c, ['ContractID', 'ContractId']),
  CreationDate: field(c, 'CreationDate'),
  StartDate: field(c, 'StartDate'),
  EndDate: field(c, 'EndDate'),
  Indefinite: field(c, 'Indefinite'),
  EmployementType: firstField(c, ['EmployementType', 'EmploymentType']),
  HoursPerWeek: field(c, 'HoursPerWeek'),
});

/** Contract_GetAll_AllEmployeesByCompany → contracts per employee id. */
export const parseContractItems = (result: XmlNode | undefined): Map<string, NmbrsContract[]> =>
  groupByEmployee({
    result,
    items: ['EmployeeContractItem', 'EmployeeContractItemGlobal'],
    wrapper: 'EmployeeContracts',
    read: readContract,
  });

const readEmployment = (e: XmlNode): NmbrsEmployment => ({
  EmploymentId: firstField(e, ['EmploymentId', 'EmploymentID']),
  CreationDate: field(e, 'CreationDate'),
  StartDate: field(e, 'StartDate'),
  EndDate: field(e, 'EndDate'),
  InitialStartDate: field(e, 'InitialStartDate'),
});

/** Employment_GetAll_AllEmployeesByCompany → employments per employee id. */
export const parseEmploymentItems = (result: XmlNode | undefined): Map<string, NmbrsEmployment[]> =>
  groupByEmployee({
    result,
    items: ['EmployeeEmploymentItem'],
    wrapper: 'EmployeeEmployments',
    read: readEmployment,
  });

/** Manager_GetCurrent → the manager, or null when the employee has none (nil or empty result). */
export const parseManager = (result: XmlNode | undefined): NmbrsManager | null => {
  const manager: NmbrsManager = {
    Number: field(result, 'Number'),
    FirstName: field(result, 'FirstName'),
    Name: field(result, 'Name'),
    Email: field(result, 'Email'),
  };
  return Object.values(manager).every((v) => v === null) ? null : manager;
};

/** The per-company responses `joinCompany` combines. */
export interface CompanyResponses {
  readonly company: NmbrsCompany;
  readonly employees: readonly NmbrsEmployeeListItem[];
  readonly personalInfos: ReadonlyMap<string, NmbrsPersonalInfo[]>;
  readonly functions: ReadonlyMap<string, NmbrsFunction[]>;
  readonly contracts: ReadonlyMap<string, NmbrsContract[]>;
  readonly employments: ReadonlyMap<string, NmbrsEmployment[]>;
  readonly managers: ReadonlyMap<string, NmbrsManager | null>;
  readonly asOf: string;
}

/**
 * Joins one company's responses into one record per listed employee (manager not yet resolved).
 * `missingPersonalInfo` names listed employees the personal-info call left out: the caller treats
 * that as an incomplete answer rather than syncing nameless people.
 */
export function joinCompany(o: CompanyResponses): {
  records: NmbrsEmployeeRecord[];
  missingPersonalInfo: string[];
} {
  const records: NmbrsEmployeeRecord[] = [];
  const missingPersonalInfo: string[] = [];
  for (const employee of o.employees) {
    const personalInfos = o.personalInfos.get(employee.Id) ?? [];
    if (personalInfos.length === 0) missingPersonalInfo.push(employee.Id);
    records.push({
      EmployeeId: employee.Id,
      Company: { ID: o.company.ID, Name: o.company.Name },
      Employee: employee,
      PersonalInfos: personalInfos,
      Functions: o.functions.get(employee.Id) ?? [],
      Contracts: o.contracts.get(employee.Id) ?? [],
      Employments: o.employments.get(employee.Id) ?? [],
      Manager: o.managers.get(employee.Id) ?? null,
      ManagerEmployeeId: null,
      AsOf: o.asOf,
    });
  }
  return { records, missingPersonalInfo };
}
