/** Renders the emulator's HrPerson roster as Nmbrs SOAP v3 result values (companies, personal info, functions, contracts, employments, managers). */
import type { HrPerson } from '../_shared/index.js';
import type { XmlValue, XmlValueObject } from './soap.js';

const DAY = 86_400_000;
const dateTime = (iso: string): string => `${iso}T00:00:00`;
const shift = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const year = (iso: string): string => String(Number(iso.slice(0, 4)));
const month = (iso: string): string => String(Number(iso.slice(5, 7)));

/** Nmbrs employee numbers are integers: 'E00042' → '42'. */
export const employeeNumber = (p: HrPerson): string => {
  const digits = p.employeeNumber.replace(/\D/g, '');
  return digits === '' ? p.id : String(Number(digits));
};

// [I] Nmbrs' gender strings are not documented publicly; these are plausible ASMX enum names.
const genderText: Readonly<Record<HrPerson['gender'], string>> = {
  female: 'Female',
  male: 'Male',
  diverse: 'X',
  undefined: 'Unknown',
};

/** The emulated companies: `size` employees each, in roster order (company k holds people k·size…). */
export interface CompanyLayout {
  readonly size: number;
  readonly count: number;
}

export const companyLayout = (people: number, size: number): CompanyLayout => ({
  size,
  count: Math.max(1, Math.ceil(people / size)),
});

/** Company id of the k-th company (0-based); distinct from employee ids so mix-ups show. */
export const companyId = (k: number): string => String(50_001 + k);

/** CompanyService.List_GetAll → `Company` elements (capitalised `ID`, as the real API). */
export function renderCompanies(layout: CompanyLayout): XmlValueObject {
  return {
    Company: Array.from({ length: layout.count }, (_, k) => ({
      ID: companyId(k),
      Number: String(k + 1),
      Name: k === 0 ? 'Acme Nederland B.V.' : `Acme Werkmaatschappij ${k + 1} B.V.`,
      PhoneNumber: '+31 20 555 0100',
      FaxNumber: '',
      Email: `payroll${k + 1}@acme.example`,
      Website: 'https://acme.example',
      LoonaangifteTijdvak: 'Month',
      KvkNr: String(60_000_000 + k),
    })),
  };
}

export const renderEmployeeList = (people: readonly HrPerson[]): XmlValueObject => ({
  Employee: people.map((p) => ({
    Id: p.id,
    Number: employeeNumber(p),
    DisplayName: `${p.firstName} ${p.lastName}`,
  })),
});

export const renderPersonalInfos = (people: readonly HrPerson[]): XmlValueObject => ({
  PersonalInfoItem: people.map((p) => ({
    EmployeeId: p.id,
    EmployeePersonalInfos: {
      PersonalInfo_V2: [
        {
          Id: `${p.id}01`,
          EmployeeNumber: employeeNumber(p),
          Initials: `${p.firstName.slice(0, 1)}.`,
          Prefix: '',
          FirstName: p.firstName,
          LastName: p.lastName,
          Nickname: p.firstName,
          Title: '',
          TitleAfter: '',
          Gender: genderText[p.gender] ?? String(p.gender),
          NationalityCode: '1',
          PlaceOfBirth: '',
          CountryOfBirthISOCode: 'NL',
          Birthday: dateTime(p.birthDate),
          IdentificationType: '0',
          TelephoneWork: p.phone,
          TelephoneMobileWork: '',
          TelephonePrivate: '',
          EmailWork: p.email,
          EmailPrivate: '',
          BurgerlijkeStaat: 'Ongehuwd',
          Naamstelling: 'E',
          DeceasedDate: null,
          CreationDate: `${p.firstHiredOn}T09:00:00`,
          StartPeriod: month(p.firstHiredOn),
          StartYear: year(p.firstHiredOn),
        },
      ],
    },
  })),
});

/** A stable function id per job title (the real API has a debtor-level function list). */
const functionId = (title: string): string => {
  let h = 0;
  for (const ch of title) h = (h * 31 + ch.charCodeAt(0)) % 9_973;
  return String(h + 1);
};
const functionCode = (title: string): string =>
  title
    .split(/\s+/)
    .map((w) => w.slice(0, 1).toUpperCase())
    .join('');

export const renderFunctions = (people: readonly HrPerson[]): XmlValueObject => ({
  EmployeeFunctionItem_V2: people.map((p) => ({
    EmployeeId: p.id,
    EmployeeFunctions: {
      EmployeeFunction: [
        {
          RecordId: `${p.id}1`,
          Function: { Id: functionId(p.position), Code: functionCode(p.position), Description: p.position },
          CreationDate: `${p.currentHiredOn}T09:00:00`,
          StartPeriod: month(p.currentHiredOn),
          StartYear: year(p.currentHiredOn),
        },
      ],
    },
  })),
});

/** Out-of-service date: the leaving date; an inactive person without one left yesterday. */
const endDate = (p: HrPerson, today: string): string | null =>
  p.leavingDate ?? (p.status === 'inactive' ? shift(today, -1) : null);

export const renderContracts = (people: readonly HrPerson[], today: string): XmlValueObject => ({
  EmployeeContractItem: people.map((p) => {
    const permanent = p.contractType === 'permanent';
    const end = permanent ? null : (p.leavingDate ?? shift(today, 365));
    return {
      EmployeeId: p.id,
      EmployeeContracts: {
        EmployeeContract: [
          {
            ContractID: `${p.id}1`,
            CreationDate: `${p.currentHiredOn}T09:00:00`,
            StartDate: dateTime(p.currentHiredOn),
            TrialPeriod: null,
            EndDate: end === null ? null : dateTime(end),
            EmployementType: '1',
            EmploymentSequenceTaxId: '1',
            Indefinite: String(permanent),
            PhaseClassification: '0',
            WrittenContract: 'true',
            HoursPerWeek: p.contractType === 'intern' ? '24' : '40',
          },
        ],
      },
    };
  }),
});

export const renderEmployments = (people: readonly HrPerson[], today: string): XmlValueObject => ({
  EmployeeEmploymentItem: people.map((p) => {
    const end = endDate(p, today);
    const employments: XmlValueObject[] = [];
    if (p.firstHiredOn < p.currentHiredOn) {
      // A rehire: the first employment ended before the current one began.
      employments.push({
        EmploymentId: `${p.id}1`,
        CreationDate: `${p.firstHiredOn}T09:00:00`,
        StartDate: dateTime(p.firstHiredOn),
        EndDate: dateTime(shift(p.currentHiredOn, -1)),
        InitialStartDate: dateTime(p.firstHiredOn),
      });
    }
    employments.push({
      EmploymentId: `${p.id}2`,
      CreationDate: `${p.currentHiredOn}T09:00:00`,
      StartDate: dateTime(p.currentHiredOn),
      EndDate: end === null ? null : dateTime(end),
      InitialStartDate: dateTime(p.firstHiredOn),
    });
    return { EmployeeId: p.id, EmployeeEmployments: { Employment: employments } };
  }),
});

/** Manager_GetCurrent: Nmbrs' manager record, built from the manager employee; undefined = none. */
export function renderManager(manager: HrPerson | undefined): XmlValue | undefined {
  if (manager === undefined) return undefined;
  return {
    Number: employeeNumber(manager),
    FirstName: manager.firstName,
    Name: manager.lastName,
    Department: manager.department,
    Function: manager.position,
    PhoneNumber: manager.phone,
    Mobile: '',
    Fax: '',
    Email: manager.email,
  };
}
