// Reason code lists of allowances and charges (UNTDID 5189 for allowances, UNTDID 7161 for charges: the subsets
// EN 16931 BR-CL-19 / BR-CL-20 and ZATCA BR-KSA-CL-06 accept), and the fixed texts of the ZATCA exemption codes.

/** UNTDID 5189, the EN 16931 subset (BR-CL-19). */
export const ALLOWANCE_REASON_CODES: Readonly<Record<string, string>> = {
  '41': 'Bonus for works ahead of schedule',
  '42': 'Other bonus',
  '60': "Manufacturer's consumer discount",
  '62': 'Due to military status',
  '63': 'Due to work accident',
  '64': 'Special agreement',
  '65': 'Production error discount',
  '66': 'New outlet discount',
  '67': 'Sample discount',
  '68': 'End-of-range discount',
  '70': 'Incoterm discount',
  '71': 'Point of sales threshold allowance',
  '88': 'Material surcharge/deduction',
  '95': 'Discount',
  '100': 'Special rebate',
  '102': 'Fixed long term',
  '103': 'Temporary',
  '104': 'Standard',
  '105': 'Yearly turnover',
};

/** UNTDID 7161, the EN 16931 subset (BR-CL-20, ZATCA BR-KSA-CL-06). */
export const CHARGE_REASON_CODES: Readonly<Record<string, string>> = {
  AA: 'Advertising',
  AAA: 'Telecommunication',
  AAC: 'Technical modification',
  AAD: 'Job-order production',
  AAE: 'Outlays',
  AAF: 'Off-premises',
  AAH: 'Additional processing',
  AAI: 'Attesting',
  AAS: 'Acceptance',
  AAT: 'Rush delivery',
  AAV: 'Special construction',
  AAY: 'Airport facilities',
  AAZ: 'Concession',
  ABA: 'Compulsory storage',
  ABB: 'Fuel removal',
  ABC: 'Into plane',
  ABD: 'Overtime',
  ABF: 'Tooling',
  ABK: 'Miscellaneous',
  ABL: 'Additional packaging',
  ABN: 'Dunnage',
  ABR: 'Containerisation',
  ABS: 'Carton packing',
  ABT: 'Hessian wrapped',
  ABU: 'Polyethylene wrap packing',
  ACF: 'Miscellaneous treatment',
  ACG: 'Enamelling treatment',
  ACH: 'Heat treatment',
  ACI: 'Plating treatment',
  ACJ: 'Painting',
  ACK: 'Polishing',
  ACL: 'Priming',
  ACM: 'Preservation treatment',
  ACS: 'Fitting',
  ADC: 'Consolidation',
  ADE: 'Bill of lading',
  ADJ: 'Airbag',
  ADK: 'Transfer',
  ADL: 'Slipsheet',
  ADM: 'Binding',
  ADN: 'Repair or replacement of broken returnable package',
  ADO: 'Efficient logistics',
  ADP: 'Merchandising',
  ADQ: 'Product mix',
  ADR: 'Other services',
  ADT: 'Pick-up',
  ADW: 'Chronic illness',
  ADY: 'New product introduction',
  ADZ: 'Direct delivery',
  AEA: 'Diversion',
  AEB: 'Disconnect',
  AEC: 'Distribution',
  AED: 'Handling of hazardous cargo',
  AEF: 'Rents and leases',
  AEH: 'Location differential',
  AEI: 'Aircraft refueling',
  AEJ: 'Fuel shipped into storage',
  AEK: 'Cash on delivery',
  AEL: 'Small order processing service',
  AEM: 'Clerical or administrative services',
  AEN: 'Guarantee',
  AEO: 'Collection and recycling',
  AEP: 'Copyright fee collection',
  AES: 'Veterinary inspection service',
  AET: 'Pensioner service',
  AEU: 'Medicine free pass holder',
  AEV: 'Environmental protection service',
  AEW: 'Environmental clean-up service',
  AEX: 'National cheque processing service outside account area',
  AEY: 'National payment service outside account area',
  AEZ: 'National payment service within account area',
  AJ: 'Adjustments',
  AU: 'Authentication',
  CA: 'Cataloguing',
  CAB: 'Cartage',
  CAD: 'Certification',
  CAE: 'Certificate of conformance',
  CAF: 'Certificate of origin',
  CAI: 'Cutting',
  CAJ: 'Consular service',
  CAK: 'Customer collection',
  CAL: 'Payroll payment service',
  CAM: 'Cash transportation',
  CAN: 'Home banking service',
  CAO: 'Bilateral agreement service',
  CAP: 'Insurance brokerage service',
  CAQ: 'Cheque generation',
  CAR: 'Preferential merchandising location',
  CAS: 'Crane',
  CAT: 'Special colour service',
  CAU: 'Sorting',
  CAV: 'Battery collection and recycling',
  CAW: 'Product take back fee',
  CAX: 'Quality control released',
  CAY: 'Quality control held',
  CAZ: 'Quality control embargo',
  CD: 'Car loading',
  CG: 'Cleaning',
  CS: 'Cigarette stamping',
  CT: 'Count and recount',
  DAB: 'Layout/design',
  DAC: 'Assortment allowance',
  DAD: 'Driver assigned unloading',
  DAF: 'Debtor bound',
  DAG: 'Dealer allowance',
  DAH: 'Allowance transferable to the consumer',
  DAI: 'Growth of business',
  DAJ: 'Introduction allowance',
  DAK: 'Multi-buy promotion',
  DAL: 'Partnership',
  DAM: 'Return handling',
  DAN: 'Minimum order not fulfilled charge',
  DAO: 'Point of sales threshold allowance',
  DAP: 'Wholesaling discount',
  DAQ: 'Documentary credits transfer commission',
  DL: 'Delivery',
  EG: 'Engraving',
  EP: 'Expediting',
  ER: 'Exchange rate guarantee',
  FAA: 'Fabrication',
  FAB: 'Freight equalization',
  FAC: 'Freight extraordinary handling',
  FC: 'Freight service',
  FH: 'Filling/handling',
  FI: 'Financing',
  GAA: 'Grinding',
  HAA: 'Hose',
  HD: 'Handling',
  HH: 'Hoisting and hauling',
  IAA: 'Installation',
  IAB: 'Installation and warranty',
  ID: 'Inside delivery',
  IF: 'Inspection',
  IR: 'Installation and training',
  IS: 'Invoicing',
  KO: 'Koshering',
  L1: 'Carrier count',
  LA: 'Labelling',
  LAA: 'Labour',
  LAB: 'Repair and return',
  LF: 'Legalisation',
  MAE: 'Mounting',
  MI: 'Mail invoice',
  ML: 'Mail invoice to each location',
  NAA: 'Non-returnable containers',
  OA: 'Outside cable connectors',
  PA: 'Invoice with shipment',
  PAA: 'Phosphatizing (steel treatment)',
  PC: 'Packing',
  PL: 'Palletizing',
  PRV: 'Price variation',
  RAB: 'Repacking',
  RAC: 'Repair',
  RAD: 'Returnable container',
  RAF: 'Restocking',
  RE: 'Re-delivery',
  RF: 'Refurbishing',
  RH: 'Rail wagon hire',
  RV: 'Loading',
  SA: 'Salvaging',
  SAA: 'Shipping and handling',
  SAD: 'Special packaging',
  SAE: 'Stamping',
  SAI: 'Consignee unload',
  SG: 'Shrink-wrap',
  SH: 'Special handling',
  SM: 'Special finish',
  SU: 'Set-up',
  TAB: 'Tank renting',
  TAC: 'Testing',
  TT: 'Transportation - third party billing',
  TV: 'Transportation by vendor',
  V1: 'Drop yard',
  V2: 'Drop dock',
  WH: 'Warehousing',
  XAA: 'Combine all same day shipment',
  YY: 'Split pick-up',
  ZZZ: 'Mutually defined',
};

/** The list of an allowance (UNTDID 5189) or a charge (UNTDID 7161). */
export function reasonCodesOf(isCharge: boolean): Readonly<Record<string, string>> {
  return isCharge ? CHARGE_REASON_CODES : ALLOWANCE_REASON_CODES;
}

/** Case, spacing and punctuation do not make another reason: "freight-service " is "Freight service". */
const comparable = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const byName = (codes: Readonly<Record<string, string>>): ReadonlyMap<string, string> => {
  const map = new Map<string, string>();
  for (const [code, name] of Object.entries(codes))
    if (!map.has(comparable(name))) map.set(comparable(name), code);
  return map;
};
const ALLOWANCE_BY_NAME = byName(ALLOWANCE_REASON_CODES);
const CHARGE_BY_NAME = byName(CHARGE_REASON_CODES);

/** The code whose list name is the free-text reason, if one is. */
export function reasonCodeForText(isCharge: boolean, reason: string): string | undefined {
  return (isCharge ? CHARGE_BY_NAME : ALLOWANCE_BY_NAME).get(comparable(reason));
}

/**
 * ZATCA XML Implementation Standard §11.2.4: the text of each exemption (or exception) reason code, as the SDK
 * schematron spells it (BR-KSA-83). VATEX-SA-OOS has no fixed text: the seller says why the supply is out of scope.
 */
export const SAUDI_EXEMPTION_TEXTS: Readonly<Record<string, string>> = {
  'VATEX-SA-29': 'Financial services mentioned in Article 29 of the VAT Regulations',
  'VATEX-SA-29-7': 'Life insurance services mentioned in Article 29 of the VAT Regulations',
  'VATEX-SA-30': 'Real estate transactions mentioned in Article 30 of the VAT Regulations',
  'VATEX-SA-32': 'Export of goods',
  'VATEX-SA-33': 'Export of services',
  'VATEX-SA-34-1': 'The international transport of Goods',
  'VATEX-SA-34-2': 'international transport of passengers',
  'VATEX-SA-34-3':
    'services directly connected and incidental to a Supply of international passenger transport',
  'VATEX-SA-34-4': 'Supply of a qualifying means of transport',
  'VATEX-SA-34-5':
    'Any services relating to Goods or passenger transportation, as defined in article twenty five of these Regulations',
  'VATEX-SA-35': 'Medicines and medical equipment',
  'VATEX-SA-36': 'Qualifying metals',
  'VATEX-SA-EDU': 'Private education to citizen',
  'VATEX-SA-HEA': 'Private healthcare to citizen',
  'VATEX-SA-MLTRY': 'supply of qualified military goods',
  // Codes the SDK schematron accepts (BR-KSA-CL-04) without a wording in §11.2.4: the product writes these texts,
  // and the seller may word them otherwise (the SDK's BR-KSA-83 asks only that a text is there).
  'VATEX-SA-DIPLOMAT': 'Qualified Supplies to Diplomatic Missions',
  'VATEX-SA-DUTYFREE': 'Qualified Supply of Goods in Duty Free area',
  'VATEX-SA-ROYALDECREE': 'Supply on which the State bears the VAT under a Royal Decree',
  'VATEX-SA-OOS': 'Services outside scope of tax / Not subject to VAT',
};

/** Codes whose text the seller writes (anything non-empty passes BR-KSA-83). */
const FREE_TEXT_EXEMPTION_CODES: ReadonlySet<string> = new Set([
  'VATEX-SA-OOS',
  'VATEX-SA-DIPLOMAT',
  'VATEX-SA-DUTYFREE',
  'VATEX-SA-ROYALDECREE',
]);

const withoutSpaces = (text: string): string => text.replace(/\s+/g, '');

/**
 * Whether a text is the official wording of the code (BR-KSA-83 compares without white space); the official
 * English text may be followed by a translation after " | ", as the SDK samples write it.
 */
export function isOfficialExemptionText(code: string, text: string): boolean {
  if (FREE_TEXT_EXEMPTION_CODES.has(code)) return text.trim() !== '';
  if (!Object.hasOwn(SAUDI_EXEMPTION_TEXTS, code)) return true;
  const official = SAUDI_EXEMPTION_TEXTS[code] ?? '';
  const english = text.split(' | ')[0] ?? '';
  return withoutSpaces(english) === withoutSpaces(official);
}
