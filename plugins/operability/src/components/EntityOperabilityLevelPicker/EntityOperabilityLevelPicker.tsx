import {
  CatalogAutocomplete,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import { isLevel, type Level } from '@opsready/plugin-operability-common';
import { useEffect, useMemo, useState } from 'react';
import { LEVELS_BEST_FIRST } from '../shared/levels';
import {
  EntityOperabilityLevelFilter,
  OperabilityEntityFilters,
} from './EntityOperabilityLevelFilter';

const LEVEL_OPTIONS: Level[] = [...LEVELS_BEST_FIRST];

function levelsOf(value: string | string[] | undefined): Level[] {
  return [value ?? []].flat().filter(isLevel);
}

/**
 * A catalog index page filter: keeps the entities at the chosen readiness
 * levels. The selection is kept in the catalog's URL (`filters[operabilityLevel]`).
 * @public
 */
export function EntityOperabilityLevelPicker(props: {
  initialLevels?: Level[];
}) {
  const { filters, updateFilters, queryParameters } =
    useEntityList<OperabilityEntityFilters>();
  // Keyed by value, so that a new but equal array from the URL changes nothing.
  const queryLevelsKey = levelsOf(queryParameters.operabilityLevel).join(',');
  const queryLevels = useMemo(
    () => levelsOf(queryLevelsKey ? queryLevelsKey.split(',') : []),
    [queryLevelsKey],
  );
  const [selected, setSelected] = useState<Level[]>(() => {
    if (queryLevels.length) return queryLevels;
    const current = levelsOf(filters.operabilityLevel?.values);
    return current.length ? current : props.initialLevels ?? [];
  });

  // The URL wins when it changes (back/forward, a shared link).
  useEffect(() => {
    if (queryLevels.length) setSelected(queryLevels);
  }, [queryLevels]);

  useEffect(() => {
    updateFilters({
      operabilityLevel: selected.length
        ? new EntityOperabilityLevelFilter(selected)
        : undefined,
    });
  }, [selected, updateFilters]);

  // The catalog's own autocomplete, so that this filter looks like its neighbours.
  return (
    <Box pb={1} pt={1}>
      <CatalogAutocomplete<Level, true>
        multiple
        disableCloseOnSelect
        label="Operability level"
        name="operability-level-picker"
        options={LEVEL_OPTIONS}
        value={selected}
        onChange={(_event, levels) => setSelected(levelsOf(levels))}
        renderOption={(level, { selected: checked }) => (
          <FormControlLabel
            control={<Checkbox size="small" checked={checked} />}
            label={level}
            onClick={event => event.preventDefault()}
          />
        )}
      />
    </Box>
  );
}
