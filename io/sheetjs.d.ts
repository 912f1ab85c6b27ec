/** The dist build of SheetJS carries the same API as the package's main entry, without its Node fs/stream hooks. */
declare module '@e965/xlsx/dist/xlsx.full.min.js' {
  import * as XLSX from '@e965/xlsx';
  export = XLSX;
}
