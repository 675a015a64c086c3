import { useEntityList } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import type { Level } from '@opsready/plugin-operability-common';
import { useEffect, useMemo, useState } from 'react';
import { isLevel, LEVELS_BEST_FIRST } from '../shared/levels';
import {
  EntityOperabilityLevelFilter,
  OperabilityEntityFilters,
} from './EntityOperabilityLevelFilter';

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

  return (
    <Box pb={1} pt={1}>
      <Typography
        variant="button"
        component="label"
        id="operability-level-label"
      >
        Operability level
      </Typography>
      <FormControl fullWidth variant="outlined" size="small">
        <Select
          multiple
          displayEmpty
          labelId="operability-level-label"
          value={selected}
          onChange={e => setSelected(levelsOf(e.target.value as string[]))}
          renderValue={value =>
            (value as Level[]).length ? (value as Level[]).join(', ') : 'All'
          }
        >
          {LEVELS_BEST_FIRST.map(level => (
            <MenuItem key={level} value={level}>
              <Checkbox size="small" checked={selected.includes(level)} />
              <ListItemText primary={level} />
            </MenuItem>
          ))}
        </Select>
      </FormControl>
    </Box>
  );
}
