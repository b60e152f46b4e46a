/** The Dialogue's reference data (contract section 1), recorded as events on a new database. */
export const ENTITIES = [
  { id: 'afripol', name: 'AFRIPOL (African Union Mechanism for Police Cooperation)', kind: 'member' },
  { id: 'ameripol', name: 'AMERIPOL (Police Community of the Americas)', kind: 'member' },
  { id: 'aseanapol', name: 'ASEANAPOL (ASEAN Chiefs of Police)', kind: 'member' },
  { id: 'aimc', name: "Arab Interior Ministers' Council", kind: 'member' },
  { id: 'eco', name: 'Economic Cooperation Organization', kind: 'member' },
  { id: 'europol', name: 'EUROPOL (European Union Agency for Law Enforcement Cooperation)', kind: 'member' },
  { id: 'frontex', name: 'European Border and Coast Guard Agency (Frontex)', kind: 'member' },
  { id: 'gccpol', name: 'Gulf Cooperation Council-POL', kind: 'member' },
  { id: 'interpol', name: 'INTERPOL', kind: 'member' },
  { id: 'sco', name: 'Shanghai Cooperation Organization', kind: 'observer' },
  { id: 'unodc', name: 'United Nations Office on Drugs and Crime', kind: 'observer' },
] as const;

export const GROUPS = [
  { id: 'strategic', name: 'Working Group on Strategic Aspects of Global Policing Architecture' },
  { id: 'operational', name: 'Working Group on Operational Aspects of Global Policing Architecture' },
] as const;

/** The actor recorded on events the service writes by itself (the seed). */
export const SYSTEM_ACTOR = { entityId: null, person: 'system', role: 'secretariat' } as const;
