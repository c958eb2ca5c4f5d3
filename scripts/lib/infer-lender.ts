/**
 * What each borrowed return is borrowed from, by two written-down rules, recorded as evidence with the rule id.
 * Runs after values are carried across versions, since carrying can make a return borrowed. Pure.
 *
 * - object-argument: a call that is given objects lends out a reference one of them holds: the first object
 *   argument (the list of PyList_GetItem, the dict of PyDict_GetItem, the module of PyModule_GetDict).
 * - interpreter-state: a call given no object lends out a reference the interpreter or thread state holds
 *   (PyErr_Occurred, PyEval_GetBuiltins, PyImport_AddModule, PySys_GetObject).
 */
import type { Api } from '../../src/schema/api.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { apiLocation } from './api-location.ts';
import { isObjectArray, isObjectPointer } from './c-declaration.ts';

function withLender(api: Api): Api {
  if (!api.returns) return api;
  if (api.returns.ownership !== 'borrowed') return api.returns.borrowedFrom === null ? api : { ...api, returns: { ...api.returns, borrowedFrom: null } };
  const lender = api.params.find((param) => param.ownership !== 'no-object' && (isObjectPointer(param.type) || isObjectArray(param.type) || param.type === ''));
  const borrowedFrom = lender
    ? { lender: 'argument' as const, param: lender.name, confidence: 'inferred' as const }
    : { lender: 'interpreter' as const, param: null, confidence: 'inferred' as const };
  const rule = lender ? 'object-argument' : 'interpreter-state';
  const evidence = [
    ...api.evidence.filter((item) => item.field !== 'returns.borrowedFrom'),
    { field: 'returns.borrowedFrom', source: 'inference' as const, value: lender ? `argument ${lender.name}` : 'interpreter', location: apiLocation(api), raw: rule },
  ];
  return { ...api, returns: { ...api.returns, borrowedFrom }, evidence };
}

export function addLenders(datasets: readonly VersionDataset[]): VersionDataset[] {
  return datasets.map((dataset) => ({ ...dataset, apis: dataset.apis.map(withLender) }));
}
