import type { ProposalScript } from './scenario';

/** The Strategic group's proposals, in the order they are submitted. */
export const STRATEGIC: ProposalScript[] = [
  {
    group: 'strategic',
    author: 'europol',
    title: 'Common minimum data set for cross-regional wanted-person alerts',
    body: 'Regional alert systems carry between 9 and 40 fields for a wanted person. We propose a common minimum data set of 14 fields (identity, biometrics reference, offence category, issuing authority, legal basis, expiry) that every regional mechanism can map to, so that an alert can be relayed without manual re-keying.',
    pillars: ['architecture-and-standards', 'single-node'],
    comments: [
      {
        by: 'interpol',
        body: 'The 14 fields map cleanly to the Red Notice structure, except the legal basis, which we hold as free text. Can the data set accept free text there for a transition period?',
      },
      {
        by: 'europol',
        body: 'Yes: a coded value where one exists, free text otherwise, with a review after 18 months.',
        replyTo: 0,
      },
      {
        by: 'unodc',
        body: 'We would recommend that the offence categories follow the International Classification of Crime for Statistical Purposes, which most member states already report against.',
      },
      {
        by: 'afripol',
        body: 'Agreed on ICCS. Several AU member states will need support to populate the biometrics reference field.',
        replyTo: 2,
      },
    ],
    revision: {
      afterComments: 2,
      body: 'Regional alert systems carry between 9 and 40 fields for a wanted person. We propose a common minimum data set of 14 fields (identity, biometrics reference, offence category coded in ICCS, issuing authority, legal basis coded where possible and free text otherwise, expiry) that every regional mechanism can map to, so that an alert can be relayed without manual re-keying. The free-text legal basis is reviewed after 18 months.',
    },
    endorsements: [
      ['interpol', 'Consistent with our notice data model.'],
      ['afripol'],
      ['ameripol', 'AMERIPOL can map its alerts within a year.'],
      ['gccpol'],
    ],
    outcome: {
      status: 'adopted',
      by: 'interpol',
      note: 'Adopted with the ICCS coding of offences. The secretariat circulates the mapping template.',
    },
    actionItems: [
      {
        title: 'Circulate the mapping template for the minimum alert data set',
        owner: 'europol',
        due: -12,
        progress: [[60, 'Template drafted; awaiting the ICCS code list from UNODC.']],
      },
      {
        title: 'Pilot the alert relay between AFRIPOL and INTERPOL',
        owner: 'afripol',
        due: 3,
        progress: [
          [30, 'Test environment ready in Abuja.'],
          [70, 'First 200 test alerts relayed without loss.'],
        ],
      },
      { title: 'Publish the field-by-field mapping for AMERIPOL alerts', owner: 'ameripol', due: 40 },
    ],
  },
  {
    group: 'strategic',
    author: 'interpol',
    title: 'Annual joint cybercrime threat assessment',
    body: 'Each regional mechanism produces its own cybercrime threat assessment on a different cycle and methodology. We propose one joint annual assessment, with a shared taxonomy of threats (ransomware, business e-mail compromise, online child sexual exploitation, crypto-asset laundering) and regional chapters written by each member.',
    pillars: ['platform-for-plans'],
    comments: [
      {
        by: 'aseanapol',
        body: 'ASEANAPOL supports this. Our cycle ends in March; could the joint assessment be published in June so that regional chapters can reuse our data?',
      },
      { by: 'interpol', body: 'June works. We suggest a data cut-off of 31 March for every chapter.', replyTo: 0 },
      {
        by: 'sco',
        body: 'The SCO RATS would be glad to contribute an annex on the use of cyberspace by terrorist groups, as an observer contribution.',
      },
      { by: 'europol', body: 'Europol can share the IOCTA methodology so that chapters are comparable.' },
    ],
    endorsements: [['europol', 'We offer the IOCTA methodology.'], ['aseanapol'], ['eco'], ['aimc']],
    objections: [
      [
        'gccpol',
        'Our members cannot share threat data on an annual cycle before the legal review of the GCC data protection framework ends.',
      ],
    ],
    outcome: {
      status: 'adopted',
      by: 'europol',
      note: 'Adopted over the objection of GCCPOL, whose chapter may follow once its legal review ends.',
      override: true,
    },
    actionItems: [
      {
        title: 'Agree the shared cybercrime threat taxonomy',
        owner: 'interpol',
        due: -30,
        progress: [[100, 'Taxonomy agreed at the technical meeting.']],
        completed: 'Taxonomy v1.0 circulated to all members.',
      },
      {
        title: 'Collect regional chapters for the joint assessment',
        owner: 'aseanapol',
        due: 5,
        progress: [[40, 'Four of nine chapters received.']],
      },
      {
        title: 'Draft the methodology annex',
        owner: 'europol',
        due: -4,
        progress: [[50, 'Comparability section outstanding.']],
      },
    ],
  },
  {
    group: 'strategic',
    author: 'frontex',
    title: 'Exchange of advance passenger information between regional border agencies',
    body: 'Advance passenger information (API) is collected by each border agency but rarely shared across regions, even for flights that connect two regions. We propose a framework for the exchange of API data on connecting flights, limited to persons subject to an alert, with retention of 48 hours for non-matches.',
    pillars: ['frontline-access', 'single-node'],
    visibility: 'members',
    comments: [
      {
        by: 'gccpol',
        body: 'Gulf hubs handle a large share of connecting traffic. We need the framework to respect the retention rules of the transit state as well.',
      },
      {
        by: 'frontex',
        body: 'Agreed: the stricter of the two retention rules applies. We will revise the text.',
        replyTo: 0,
      },
      {
        by: 'aimc',
        body: 'The Council asks that the list of alert categories be annexed so that member states can check them against national law.',
      },
    ],
    revision: {
      afterComments: 2,
      title: 'Exchange of advance passenger information on connecting flights',
      body: 'Advance passenger information (API) is collected by each border agency but rarely shared across regions, even for flights that connect two regions. We propose a framework for the exchange of API data on connecting flights, limited to persons subject to an alert, with retention of 48 hours for non-matches or the shorter period of the transit state where it applies.',
    },
    endorsements: [['gccpol', 'With the transit-state rule, GCCPOL can join.'], ['europol'], ['interpol']],
    outcome: {
      status: 'adopted',
      by: 'interpol',
      note: 'Adopted. The annex of alert categories is to be agreed before any exchange starts.',
    },
    actionItems: [
      {
        title: 'Annex the list of alert categories for API exchange',
        owner: 'frontex',
        due: 6,
        progress: [[20, 'First draft shared with AIMC.']],
      },
      { title: 'Legal check of the transit-state retention rule', owner: 'gccpol', due: -2 },
    ],
  },
  {
    group: 'strategic',
    author: 'aseanapol',
    title: 'Joint training curriculum on crypto-asset investigations',
    body: 'Investigators in most regions lack training in tracing crypto-assets. We propose a joint curriculum of three modules (blockchain basics, tracing and attribution, seizure and custody of assets), delivered regionally by trainers certified once, centrally.',
    pillars: ['platform-for-plans'],
    comments: [
      {
        by: 'unodc',
        body: 'UNODC already runs a crypto-asset course in Southeast Asia and Central Asia; we would be happy to share the material to avoid duplication.',
      },
      {
        by: 'aseanapol',
        body: 'Thank you, this would save months. We will propose a joint review of the material.',
        replyTo: 0,
      },
      { by: 'eco', body: 'ECO members would host the Central Asian session.' },
    ],
    endorsements: [['eco', 'ECO offers to host in Tehran or Almaty.'], ['interpol'], ['ameripol']],
    outcome: { status: 'adopted', by: 'europol', note: 'Adopted, building on the UNODC course material.' },
    actionItems: [
      {
        title: 'Review the UNODC crypto-asset course material',
        owner: 'aseanapol',
        due: -20,
        progress: [[100, 'Review done; two modules reused as they are.']],
        completed: 'Review report shared.',
      },
      {
        title: 'Certify the first cohort of regional trainers',
        owner: 'interpol',
        due: 25,
        progress: [[10, 'Candidates nominated by five members.']],
      },
      {
        title: 'Host the Central Asian training session',
        owner: 'eco',
        due: 60,
        cancelled: 'Merged into the regional session hosted by ASEANAPOL.',
      },
    ],
  },
  {
    group: 'strategic',
    author: 'ameripol',
    title: 'Standing liaison officer network between regional mechanisms',
    body: 'We propose that each regional mechanism posts one liaison officer to another mechanism on a rotating basis, so that requests for cooperation can be routed through a person who knows both systems.',
    pillars: ['single-node'],
    comments: [
      {
        by: 'europol',
        body: 'The cost of postings is significant. Could a virtual liaison desk achieve the same result?',
      },
      {
        by: 'ameripol',
        body: 'A virtual desk helps but trust is built in person. We could start with three postings.',
        replyTo: 0,
      },
    ],
    endorsements: [['afripol']],
    objections: [
      ['europol', 'The budget for postings is not available in the current financial period.'],
      ['gccpol', 'Rotating postings conflict with our secondment rules.'],
    ],
    outcome: {
      status: 'rejected',
      by: 'interpol',
      note: 'Rejected for now for lack of budget; a virtual liaison desk is to be proposed instead.',
    },
  },
  {
    group: 'strategic',
    author: 'aimc',
    title: 'Regional focal points for counter-terrorism financing information',
    body: 'Each regional mechanism should name a focal point for counter-terrorism financing information, reachable around the clock, so that urgent requests on suspicious transfers are answered within 24 hours.',
    pillars: ['single-node', 'frontline-access'],
    visibility: 'members',
    comments: [
      {
        by: 'interpol',
        body: 'Should the focal points be the same as the existing 24/7 contact points for cybercrime?',
      },
      {
        by: 'aimc',
        body: 'In several of our states they are different units. We prefer separate focal points.',
        replyTo: 0,
      },
      { by: 'europol', body: 'A list of focal points must be kept current; who maintains it?' },
    ],
    endorsements: [['gccpol'], ['eco', 'Important for our region.']],
  },
  {
    group: 'strategic',
    author: 'afripol',
    title: 'Shared glossary of policing terms in the six UN languages',
    body: 'Misunderstandings in cross-regional requests often come from terms that have different meanings in different legal systems. We propose a shared glossary of 300 core policing terms, with definitions in Arabic, Chinese, English, French, Russian and Spanish.',
    pillars: ['architecture-and-standards'],
    comments: [
      {
        by: 'sco',
        body: 'The SCO can contribute the Russian and Chinese terminology already agreed among its members.',
      },
      { by: 'unodc', body: 'The UNODC terminology database could be the starting point.' },
      { by: 'afripol', body: 'Both welcome. We will propose a joint editorial board.', replyTo: 1 },
    ],
    endorsements: [['aimc'], ['ameripol', 'Spanish and Portuguese would be valuable for our members.']],
  },
  {
    group: 'strategic',
    author: 'gccpol',
    title: 'Mutual recognition of police training certificates',
    body: 'Training certificates issued by one regional mechanism are not recognised by the others, so officers repeat courses. We propose mutual recognition of certificates for courses that meet a common set of learning outcomes.',
    pillars: ['platform-for-plans', 'architecture-and-standards'],
    comments: [{ by: 'europol', body: 'CEPOL would need to be consulted before recognition of EU certificates.' }],
    endorsements: [['aimc'], ['ameripol', "Our academies would recognise each other's courses at once."]],
    objections: [
      ['europol', 'Recognition must follow the CEPOL accreditation process, which the proposal does not address.'],
    ],
    retracted: ['ameripol'],
  },
  {
    group: 'strategic',
    author: 'eco',
    title: 'Quarterly high-level meeting of the heads of regional mechanisms',
    body: "We propose a quarterly meeting of the heads of the regional mechanisms, to review progress on the Dialogue's action items and to settle questions the working groups cannot settle themselves.",
    pillars: ['platform-for-plans'],
    comments: [
      { by: 'interpol', body: 'Quarterly seems frequent for heads; twice a year with a virtual meeting in between?' },
      { by: 'eco', body: 'Fair point. We withdraw this text and will come back with a lighter format.', replyTo: 0 },
    ],
    outcome: { status: 'withdrawn', reason: 'A lighter format, twice a year, will be proposed instead.' },
  },
  {
    group: 'strategic',
    author: 'europol',
    title: 'Common standard for encrypted messaging between regional mechanisms',
    body: 'Requests between regional mechanisms still travel by e-mail. We propose a common standard for encrypted messaging (message format, key management, audit trail), which each mechanism can implement on its own infrastructure.',
    pillars: ['architecture-and-standards', 'single-node'],
    comments: [
      {
        by: 'interpol',
        body: 'I-24/7 already provides this for national central bureaus. Could the regional mechanisms connect to it instead of a new standard?',
      },
      {
        by: 'europol',
        body: 'Connecting to I-24/7 is one implementation of the standard; we want the standard to allow SIENA as well.',
        replyTo: 0,
      },
      { by: 'aseanapol', body: "ASEANAPOL's e-ADS would need an adapter in either case.", replyTo: 1 },
      {
        by: 'frontex',
        body: 'The audit trail requirement should include the time a message was read, not only delivered.',
      },
    ],
    revision: {
      afterComments: 4,
      body: 'Requests between regional mechanisms still travel by e-mail. We propose a common standard for encrypted messaging (message format, key management, audit trail including delivery and read receipts), which each mechanism can implement on its own infrastructure or by connecting to I-24/7 or SIENA.',
    },
    endorsements: [['frontex', 'With read receipts, this meets our needs.'], ['aseanapol'], ['afripol']],
    objections: [['interpol', 'A second standard beside I-24/7 risks fragmenting the network.']],
    retracted: ['interpol'],
  },
  {
    group: 'strategic',
    author: 'interpol',
    title: 'Harmonised statistics on firearms seizures',
    body: 'Firearms seizure statistics are not comparable across regions. We propose harmonised reporting based on the UNODC Illicit Arms Flows Questionnaire, collected annually by each regional mechanism.',
    pillars: ['architecture-and-standards'],
    comments: [
      { by: 'unodc', body: 'UNODC welcomes this and can provide the questionnaire in all six languages.' },
      { by: 'ameripol', body: 'Our members already report to the questionnaire; the burden would be low.', replyTo: 0 },
    ],
    endorsements: [['ameripol'], ['afripol'], ['europol', 'Europol will align its firearms reporting.']],
  },
  {
    group: 'strategic',
    author: 'frontex',
    title: 'Joint risk analysis of migrant smuggling routes',
    body: 'We propose a joint risk analysis of migrant smuggling routes that cross two or more regions, updated twice a year, with a members-only annex of operational indicators.',
    pillars: ['platform-for-plans', 'frontline-access'],
    visibility: 'members',
    comments: [
      { by: 'afripol', body: 'The routes through the Sahel must be covered; AFRIPOL can contribute.' },
      { by: 'aimc', body: 'We ask that the annex be shared only through the encrypted channel once it exists.' },
    ],
    endorsements: [['afripol']],
    objections: [['aimc', 'Until the encrypted channel exists, operational indicators should not be exchanged.']],
  },
  {
    group: 'strategic',
    author: 'ameripol',
    title: 'A public website for the Dialogue',
    body: 'We propose a public website presenting the Dialogue, its members and its adopted texts.',
    pillars: ['platform-for-plans'],
    comments: [
      {
        by: 'gccpol',
        body: 'Adopted texts may contain sensitive references; each would need review before publication.',
      },
    ],
    objections: [['gccpol', 'Publication of adopted texts needs a review procedure first.']],
    outcome: {
      status: 'rejected',
      by: 'europol',
      note: 'Rejected: a review procedure for publication must be agreed first.',
    },
  },
  {
    group: 'strategic',
    author: 'aseanapol',
    title: 'Observer participation in the cybercrime assessment workshops',
    body: 'We propose that observers be invited to the workshops of the joint cybercrime threat assessment, as contributors without a say in the final text.',
    pillars: ['platform-for-plans'],
    comments: [{ by: 'unodc', body: 'UNODC would welcome this.' }],
    endorsements: [['interpol']],
    outcome: {
      status: 'withdrawn',
      reason: 'Settled by the terms of reference of the assessment, which already allow it.',
    },
  },
  {
    group: 'strategic',
    author: 'gccpol',
    title: 'Common protocol for the protection of personal data in exchanges',
    body: 'Each exchange between regional mechanisms currently needs its own data protection arrangement. We propose one protocol (purpose limitation, retention, onward transfer, data subject rights, oversight) that every mechanism signs once.',
    pillars: ['architecture-and-standards'],
    visibility: 'members',
    comments: [
      { by: 'europol', body: 'The protocol must be compatible with the EU adequacy rules, or Europol cannot sign.' },
      { by: 'gccpol', body: 'We will annex a comparison with the EU rules.', replyTo: 0 },
    ],
    endorsements: [['aimc'], ['eco']],
  },
];
