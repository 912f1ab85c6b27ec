/**
 * The registry an office works with: the central bodies, the standard bodies of its
 * province (a template written with "tỉnh", instantiated with the province's name and
 * the city forms "Thành phố", "Thành ủy"), then the office's own entries, which replace
 * an entry of the same id.
 */
import central from './data/agencies-central.json';
import provinceTemplate from './data/agencies-province.json';
import { z } from 'zod';
import { AgencyRegistryFile, RegistryAgency } from './schemas';

const Entries = z.object({ agencies: z.array(RegistryAgency) });
const CENTRAL = Entries.parse(central).agencies;
const PROVINCE = Entries.parse(provinceTemplate).agencies;

/** "tỉnh" as a word of a name, and the Party and Youth Union bodies named after it ("Tỉnh ủy", "Tỉnh đoàn"). */
const PROVINCE_WORD = /(^|\s)tỉnh(?=\s|$)/;
const PROVINCE_BODY = /(^|\s)Tỉnh (ủy|uỷ|đoàn|Đoàn)(?=\s|$)/;

/** A name's spellings for one province: as written, with the province's name, and in a city's words. */
function provinceForms(name: string, province: string): string[] {
  const forms = [name];
  if (PROVINCE_WORD.test(name)) {
    for (const word of [`tỉnh ${province}`, 'Thành phố', `Thành phố ${province}`, 'TP', `TP ${province}`]) {
      forms.push(name.replace(PROVINCE_WORD, `$1${word}`));
    }
  }
  if (PROVINCE_BODY.test(name)) {
    forms.push(`${name} ${province}`, name.replace(PROVINCE_BODY, '$1Thành $2'), `${name.replace(PROVINCE_BODY, '$1Thành $2')} ${province}`);
  }
  return forms;
}

function instantiate(entry: RegistryAgency, province: string): RegistryAgency {
  const [, ...nameForms] = provinceForms(entry.name, province);
  const aliases = [...nameForms, ...entry.aliases.flatMap((alias) => provinceForms(alias, province))];
  const formerNames = entry.formerNames?.flatMap((former) => provinceForms(former, province));
  return { ...entry, aliases: [...new Set(aliases)], ...(formerNames ? { formerNames } : {}) };
}

/** The full registry file of an office: central bodies, its province's bodies, its own entries. */
export function officeRegistryFile(office: AgencyRegistryFile): AgencyRegistryFile {
  const own = new Map(office.agencies.map((agency) => [agency.id, agency]));
  const standard = [...CENTRAL, ...(office.province ? PROVINCE.map((entry) => instantiate(entry, office.province)) : PROVINCE)];
  const kept = standard.map((agency) => own.get(agency.id) ?? agency);
  const ids = new Set(standard.map((agency) => agency.id));
  return { province: office.province, agencies: [...kept, ...office.agencies.filter((agency) => !ids.has(agency.id))] };
}
