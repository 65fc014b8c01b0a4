/** The map page (地图) and the maps on node pages: the legend, the controls, popups, and the API's map error codes. */
export default {
  'zh-CN': {
    map: {
      openReport: '查看事件详情',
      boundaryCounts: '未办结 {open} 件，超期 {overdue} 件',
      zoomIn: '放大',
      zoomOut: '缩小',
      legend: { title: '图例', boundaryOverdue: '区域内有超期事件', boundaryOpen: '区域内有未办结事件' },
      pickNode: '选择辖区',
      level: '按层级显示边界',
      myScope: '我的辖区',
      stats: '边界 {boundaries} 个，未办结事件 {reports} 件，其中超期 {overdue} 件',
      withoutLocation: '{n} 件未标注位置',
      withoutBoundary: '{n} 个节点未录入边界',
      coarser: '按{asked}显示的边界过多，已改为按{drawn}显示',
      truncated: '事件过多，只显示最紧急的 {n} 件',
      label: '{name}的事件地图',
      listTitle: '地图上的事件（{n}）',
      noReports: '没有标注位置的未办结事件',
    },
    errors: {
      codes: {
        MAP_TOO_LARGE: '这一范围的边界太多，无法在一张地图上显示：请选择更粗的层级或更小的范围',
        MAP_LEVEL_ABOVE_NODE: '不能按比该节点更高的层级显示',
      },
    },
  },
  en: {
    map: {
      openReport: 'Open the report',
      boundaryCounts: '{open} open, {overdue} overdue',
      zoomIn: 'Zoom in',
      zoomOut: 'Zoom out',
      legend: { title: 'Legend', boundaryOverdue: 'holds overdue reports', boundaryOpen: 'holds open reports' },
      pickNode: 'Pick a jurisdiction',
      level: 'Boundaries by level',
      myScope: 'My jurisdiction',
      stats: '{boundaries} boundaries, {reports} open reports, {overdue} of them overdue',
      withoutLocation: '{n} without a location',
      withoutBoundary: '{n} nodes without a boundary',
      coarser: 'Too many boundaries by {asked}: drawn by {drawn} instead',
      truncated: 'Too many reports: only the {n} most pressing are shown',
      label: 'Map of the reports in {name}',
      listTitle: 'Reports on the map ({n})',
      noReports: 'No open reports with a location',
    },
    errors: {
      codes: {
        MAP_TOO_LARGE: 'Too many boundaries for one map: pick a coarser level or a smaller node',
        MAP_LEVEL_ABOVE_NODE: 'A node cannot be drawn at a level above its own',
      },
    },
  },
};
