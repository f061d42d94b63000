/** The demo's pretend workspace: its channels and the people one can act as. Ids follow Slack's shapes. */

export const DEMO_CHANNELS = {
  sales: { id: 'C0DEMOSALES', name: 'sales' },
  marketing: { id: 'C0DEMOMKTG', name: 'marketing' },
  wins: { id: 'C0DEMOWINS', name: 'wins' },
  digest: { id: 'C0DEMODIGST', name: 'digest' },
} as const;

export interface DemoPerson {
  id: string;
  name: string;
  realName: string;
  email: string;
  title: string;
  role: 'rep' | 'marketer' | 'manager';
}

export const DEMO_PEOPLE = {
  maya: {
    id: 'UDEMOMAYA',
    name: 'maya',
    realName: 'Maya Chen',
    email: 'maya.chen@northwind.example',
    title: 'Account Executive',
    role: 'rep',
  },
  diego: {
    id: 'UDEMODIEGO',
    name: 'diego',
    realName: 'Diego Alvarez',
    email: 'diego.alvarez@northwind.example',
    title: 'Account Executive',
    role: 'rep',
  },
  priya: {
    id: 'UDEMOPRIYA',
    name: 'priya',
    realName: 'Priya Raman',
    email: 'priya.raman@northwind.example',
    title: 'Demand Generation Lead',
    role: 'marketer',
  },
  sam: {
    id: 'UDEMOSAM',
    name: 'sam',
    realName: 'Sam Okafor',
    email: 'sam.okafor@northwind.example',
    title: 'Head of Sales',
    role: 'manager',
  },
} as const satisfies Record<string, DemoPerson>;

export const DEMO_PEOPLE_LIST: readonly DemoPerson[] = Object.values(DEMO_PEOPLE);

export function demoPerson(id: unknown): DemoPerson | undefined {
  return DEMO_PEOPLE_LIST.find((p) => p.id === id);
}
