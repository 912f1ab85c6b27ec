/** Jest setup: every simulated Excel knows each member's requirement set from Microsoft's type definitions. */
import { excelApiSets } from './excel-api-sets';
import { setExcelApiSets } from './fake-excel';

setExcelApiSets(excelApiSets());
