/**
 * The personal-data map: every column of every table is declared by the module that owns it.
 * The privacy policy, exports, erasure and retention all read from these declarations.
 */

export type LegalBasis = 'contract' | 'consent' | 'legal-duty' | 'legitimate-interest' | 'none';

/** How one column is classified. Non-personal columns still say what they are for. */
export interface ColumnClass {
  personal: boolean;
  sensitive: boolean;
  /** A data-category key shared with the policy text (e.g. `account.contact`). */
  category: string;
  purpose: string;
  basis: LegalBasis;
  /** A retention rule in words the policy can show, e.g. `account-lifetime`, `30d`. */
  retention: string;
  /** Whether the user may leave it empty. */
  optional?: boolean;
}

export type TableMap = Record<string, ColumnClass>;
/** Table name → column name → classification. Names as in the database (snake_case). */
export type DataMap = Record<string, TableMap>;

/** A column that only identifies or orders a row and holds nothing about a person. */
export function technical(purpose: string, retention = 'with-row'): ColumnClass {
  return { personal: false, sensitive: false, category: 'technical', purpose, basis: 'none', retention };
}

/** A column that holds personal information. */
export function personal(
  category: string,
  purpose: string,
  basis: LegalBasis,
  retention: string,
  options: { sensitive?: boolean; optional?: boolean } = {},
): ColumnClass {
  return {
    personal: true,
    sensitive: options.sensitive ?? false,
    category,
    purpose,
    basis,
    retention,
    optional: options.optional ?? false,
  };
}

/** What a provider says it holds about one subject, for access and export requests. */
export interface SubjectExport {
  provider: string;
  records: Record<string, unknown[]>;
}

/**
 * Implemented by each module that stores personal data. The privacy engine runs access, export
 * and erasure over the registered providers without knowing their tables.
 */
export interface PersonalDataProvider {
  /** A stable name, e.g. `accounts`. */
  readonly name: string;
  /** The module's own part of the data map. */
  describe(): DataMap;
  /** Everything the module holds about the subject, as plain JSON. */
  export(subjectId: string): Promise<SubjectExport>;
  /** Deletes or anonymises everything the module holds about the subject. */
  erase(subjectId: string): Promise<{ erased: number }>;
}

/** Merges several modules' maps, refusing a table declared twice. */
export function mergeDataMaps(maps: DataMap[]): DataMap {
  const merged: DataMap = {};
  for (const map of maps) {
    for (const [table, columns] of Object.entries(map)) {
      if (merged[table]) throw new Error(`Table ${table} is declared by two modules`);
      merged[table] = columns;
    }
  }
  return merged;
}
